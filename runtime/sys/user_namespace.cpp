#include "runtime/sys/user_namespace.hpp"

#include "runtime/sys/file.hpp"
#include "spec/text.hpp"

namespace minirun::sys {

bool uid_map_is_user_namespace(std::string_view uid_map) {
  auto all = spec::lines(uid_map);
  if (all.empty()) return false;
  auto fields = spec::words(all.front());
  if (fields.size() != 3) return true;
  return !(spec::to_u64(fields[0]) == 0u && spec::to_u64(fields[1]) == 0u &&
           spec::to_u64(fields[2]) == 4294967295u);
}

bool in_user_namespace() {
  auto text = read_file("/proc/self/uid_map", "user namespace");
  return text && uid_map_is_user_namespace(*text);
}

}  // namespace minirun::sys
