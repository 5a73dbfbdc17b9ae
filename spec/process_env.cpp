#include "spec/process_env.hpp"

#include "spec/quote.hpp"

namespace minirun::spec {

namespace {

// "KEY=value" -> "KEY"; a valid entry has its '=' (invalid_env_entry).
std::string_view key_of(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

// The value of the last entry with this key, or nullopt.
std::optional<std::string_view> last_value(const std::vector<std::string>& env,
                                           std::string_view key) {
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    std::string_view entry = *it;
    if (key_of(entry) == key && entry.size() > key.size()) return entry.substr(key.size() + 1);
  }
  return std::nullopt;
}

bool has_repeated_key(const std::vector<std::string>& env) {
  for (size_t i = 0; i < env.size(); ++i)
    for (size_t j = i + 1; j < env.size(); ++j)
      if (key_of(env[i]) == key_of(env[j])) return true;
  return false;
}

}  // namespace

std::optional<std::string> invalid_env_entry(std::string_view entry) {
  const auto eq = entry.find('=');
  if (eq == std::string_view::npos) return "invalid environment variable: " + go_quote(entry);
  if (eq == 0) return "environment variable name can't be empty: " + go_quote(entry);
  const auto nul = entry.find('\0');
  if (nul != std::string_view::npos)
    return std::string("environment variable ") + (nul < eq ? "name" : "value") +
           " can't contain null(\\x00): " + go_quote(entry);
  return std::nullopt;
}

bool needs_home(const std::vector<std::string>& env) {
  auto home = last_value(env, "HOME");
  return !home || home->empty();
}

bool env_is_final(const std::vector<std::string>& env) {
  return !needs_home(env) && !has_repeated_key(env);
}

std::vector<std::string> final_env(const std::vector<std::string>& env, std::string_view home) {
  std::vector<std::string> out;
  out.reserve(env.size() + 1);
  for (const auto& entry : env) {
    const std::string_view key = key_of(entry);
    bool seen = false;
    for (auto& kept : out)
      if (key_of(kept) == key) {
        kept = entry;  // the first place, the last value
        seen = true;
        break;
      }
    if (!seen) out.push_back(entry);
  }
  if (needs_home(env)) {
    const std::string entry = "HOME=" + std::string(home);
    bool replaced = false;
    for (auto& kept : out)
      if (key_of(kept) == "HOME") {
        kept = entry;
        replaced = true;
      }
    if (!replaced) out.push_back(entry);
  }
  return out;
}

}  // namespace minirun::spec
