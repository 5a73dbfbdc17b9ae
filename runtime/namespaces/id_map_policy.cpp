#include "runtime/namespaces/id_map_policy.hpp"

#include <string>
#include <vector>

namespace minirun::runtime {

namespace {

sys::Status check_one(const std::vector<spec::IdMapping>& maps, const char* field, const char* kind,
                      uint32_t own) {
  for (size_t i = 0; i < maps.size(); ++i) {
    const spec::IdMapping& m = maps[i];
    if (i == 0 && m.hostID == own && m.size == 1) continue;
    return sys::Error::plain(
        "", std::string("config.json: /linux/") + field + "/" + std::to_string(i) + ": host " +
                kind + " " + std::to_string(m.hostID) + " (size " + std::to_string(m.size) +
                ") is not the caller's own: an unprivileged user may map only its " + kind + " " +
                std::to_string(own) + ", size 1 (subordinate ranges are not supported yet)");
  }
  return {};
}

}  // namespace

sys::Status check_id_maps_for_caller(const spec::Linux& linux, uid_t euid, gid_t egid) {
  if (euid == 0) return {};
  MR_TRY(check_one(linux.uidMappings, "uidMappings", "uid", euid));
  return check_one(linux.gidMappings, "gidMappings", "gid", egid);
}

}  // namespace minirun::runtime
