// Differential fuzz (tests/fuzz/README.md): our JSON reader accepts what nlohmann accepts and
// reads the same values, but for the documented places where it follows Go instead.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "spec/json_reader.hpp"
using namespace minirun::spec;
static bool same(const json::Value& a, const nlohmann::json& b) {
  if (a.is_null()) return b.is_null();
  if (a.is_boolean()) return b.is_boolean() && a.boolean() == b.get<bool>();
  if (a.is_string()) return b.is_string() && a.string() == b.get<std::string>();
  if (a.is_number_unsigned())
    return b.is_number_unsigned() && a.unsigned_integer() == b.get<uint64_t>();
  if (a.is_number_integer())
    return b.is_number_integer() && !b.is_number_unsigned() &&
           a.negative_integer() == b.get<int64_t>();
  if (a.is_array()) {
    if (!b.is_array() || b.size() != a.elements().size()) return false;
    for (size_t i = 0; i < b.size(); ++i)
      if (!same(a.elements()[i], b[i])) return false;
    return true;
  }
  if (a.is_object()) {
    if (!b.is_object()) return false;
    for (auto& [k, v] : b.items()) {
      const json::Value* m = a.find(k);
      if (!m || !same(*m, v)) return false;
    }
    return true;
  }
  return b.is_number_float();
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<json::Value> ours;
  bool ours_known_refusal = false;  // where we follow Go and nlohmann does not
  try {
    ours = json::parse(text);
  } catch (const json::ParseError& e) {
    const size_t at = e.byte() - 1;
    ours_known_refusal = std::string_view(e.what()).starts_with("nested deeper than") ||
                         (at < text.size() && text[at] == '\0');  // nlohmann stops at a NUL
  }
  std::optional<nlohmann::json> theirs;
  try {
    theirs = nlohmann::json::parse(text);
  } catch (const nlohmann::json::out_of_range&) {
    if (ours) return 0;  // a float out of double's range: Go and we accept it
  } catch (const nlohmann::json::exception&) {
  }
  if (ours.has_value() != theirs.has_value() && !(theirs && ours_known_refusal)) abort();
  if (ours && theirs && !same(*ours, *theirs)) abort();
  return 0;
}
