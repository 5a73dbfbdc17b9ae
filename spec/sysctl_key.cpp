#include "spec/sysctl_key.hpp"

#include <algorithm>

namespace minirun::spec {

namespace {

std::string swap_dots_and_slashes(std::string_view key) {
  std::string out(key);
  for (char& ch : out) {
    if (ch == '.')
      ch = '/';
    else if (ch == '/')
      ch = '.';
  }
  return out;
}

}  // namespace

std::string sysctl_key_dotted(std::string_view key) {
  auto first_separator = key.find_first_of("./");
  if (first_separator != std::string_view::npos && key[first_separator] == '/')
    return swap_dots_and_slashes(key);
  return std::string(key);
}

std::string sysctl_key_path(std::string_view key) {
  return swap_dots_and_slashes(sysctl_key_dotted(key));
}

}  // namespace minirun::spec
