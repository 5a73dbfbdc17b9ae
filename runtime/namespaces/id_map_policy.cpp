#include "runtime/namespaces/id_map_policy.hpp"

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "runtime/sys/file.hpp"
#include "spec/passwd.hpp"
#include "spec/subid.hpp"
#include "spec/text.hpp"

namespace minirun::runtime {

namespace {

// The one line the kernel takes from an unprivileged writer.
bool only_own(const std::vector<spec::IdMapping>& maps, uint32_t own) {
  return maps.size() == 1 && maps[0].hostID == own && maps[0].size == 1;
}

// The first executable `name` in $PATH; empty when there is none.
std::string look_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  for (std::string_view dir : spec::split(path ? path : "", ':')) {
    if (dir.empty()) continue;
    std::string candidate = std::string(dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

bool overlap(const spec::IdMapping& a, const spec::IdMapping& b) {
  const uint64_t a_end = uint64_t{a.hostID} + a.size, b_end = uint64_t{b.hostID} + b.size;
  return a.hostID < b_end && b.hostID < a_end;
}

struct Kind {
  const char* field;   // uidMappings
  const char* id;      // uid
  const char* file;    // /etc/subuid
  const char* helper;  // newuidmap
};

sys::Result<std::string> check_one(const std::vector<spec::IdMapping>& maps, const Kind& kind,
                                   uint32_t own, uid_t euid, const std::string& user) {
  if (maps.empty() || only_own(maps, own)) return std::string();
  // A missing file grants nothing: the refusal below names it.
  auto read = sys::read_file(kind.file, "id maps");
  const std::string granted = read ? *read : std::string();
  for (size_t i = 0; i < maps.size(); ++i) {
    const spec::IdMapping& m = maps[i];
    // The kernel refuses host ranges that overlap (EINVAL from the helper's write): say which.
    for (size_t j = 0; j < i; ++j)
      if (overlap(maps[j], m))
        return sys::Error::plain("", std::string("config.json: /linux/") + kind.field + "/" +
                                         std::to_string(i) + ": host " + kind.id +
                                         "s overlap /linux/" + kind.field + "/" +
                                         std::to_string(j) + "'s");
    if (m.hostID == own && m.size == 1) continue;
    if (!user.empty() && spec::subid_grants(granted, user, euid, m.hostID, m.size)) continue;
    return sys::Error::plain(
        "", std::string("config.json: /linux/") + kind.field + "/" + std::to_string(i) + ": host " +
                kind.id + " " + std::to_string(m.hostID) + " (size " + std::to_string(m.size) +
                ") is neither the caller's own " + kind.id + " " + std::to_string(own) +
                ", size 1, nor inside a range " + kind.file + " grants " +
                (user.empty() ? "uid " + std::to_string(euid) : user));
  }
  std::string helper = look_path(kind.helper);
  if (helper.empty())
    return sys::Error::plain("", std::string(kind.helper) + " not found in $PATH: /linux/" +
                                     kind.field + " maps more than the caller's own " + kind.id +
                                     " (install the uidmap package)");
  return helper;
}

// The caller's name in the host's /etc/passwd (read directly: the binary is static); empty
// when it has none, and then only its uid can own a range.
std::string user_name(uid_t uid) {
  auto passwd = sys::read_file("/etc/passwd", "id maps");
  if (!passwd) return {};
  auto entry = spec::find_passwd_uid(*passwd, uid);
  return entry ? std::string(entry->name) : std::string();
}

}  // namespace

sys::Result<IdMapHelpers> check_id_maps_for_caller(const spec::Linux& linux, uid_t euid,
                                                   gid_t egid) {
  IdMapHelpers helpers;
  if (euid == 0) return helpers;
  if (only_own(linux.uidMappings, euid) && only_own(linux.gidMappings, egid)) return helpers;
  const std::string user = user_name(euid);
  auto uid_helper = check_one(linux.uidMappings, {"uidMappings", "uid", "/etc/subuid", "newuidmap"},
                              euid, euid, user);
  if (!uid_helper) return uid_helper.error();
  auto gid_helper = check_one(linux.gidMappings, {"gidMappings", "gid", "/etc/subgid", "newgidmap"},
                              egid, euid, user);
  if (!gid_helper) return gid_helper.error();
  helpers.newuidmap = std::move(*uid_helper);
  helpers.newgidmap = std::move(*gid_helper);
  return helpers;
}

}  // namespace minirun::runtime
