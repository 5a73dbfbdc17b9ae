#include "runtime/container/bundle.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "spec/mount_options.hpp"
#include "spec/parse.hpp"
#include "spec/unsupported.hpp"
#include "spec/validate.hpp"

namespace minirun::runtime {

namespace {

std::optional<spec::NamespaceIdentity> stat_namespace(const std::string& path, std::string* error) {
  struct stat st {};
  if (stat(path.c_str(), &st) < 0) {
    if (error != nullptr) *error = "stat " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  return spec::NamespaceIdentity{st.st_dev, st.st_ino};
}

sys::Error config_error(const std::string& line) {
  return sys::Error::plain("", line);
}

std::string absolute_path(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

}  // namespace

spec::HostFacts host_facts() {
  spec::HostFacts facts;
  facts.namespace_identity = stat_namespace;
  facts.current_netns = [] { return stat_namespace("/proc/self/ns/net", nullptr); };
  facts.file_mode = [](const std::string& path) -> std::optional<unsigned> {
    struct stat st {};
    if (stat(path.c_str(), &st) < 0) return std::nullopt;
    return st.st_mode;
  };
  return facts;
}

sys::Result<Bundle> load_bundle(const std::string& dir) {
  Bundle bundle;
  bundle.dir = absolute_path(dir);
  if (bundle.dir.empty()) return sys::Error::from_errno("", "bundle " + dir);
  try {
    bundle.config_text = spec::read_bundle_file(bundle.dir + "/config.json");
    bundle.config = spec::parse_config(bundle.config_text);
  } catch (const spec::ConfigError& e) {
    return config_error(e.what());
  }
  if (auto broken = spec::validate_config(bundle.config, host_facts()))
    return config_error(broken->what());
  if (auto unsupported = spec::unsupported_in_config(bundle.config))
    return config_error(unsupported->what());

  const std::string& root = bundle.config.root->path;
  std::string joined = root.starts_with('/') ? root : bundle.dir + "/" + root;
  bundle.rootfs = absolute_path(joined);
  struct stat st {};
  if (bundle.rootfs.empty() || stat(bundle.rootfs.c_str(), &st) < 0 || !S_ISDIR(st.st_mode))
    return config_error(
        spec::ConfigError("/root/path",
                          "rootfs \"" + joined + "\" does not exist or is not a directory")
            .what());
  // A relative bind source is relative to the bundle (runtime-spec "mounts"), not to the
  // caller's working directory; runc gets this by chdir-ing into the bundle.
  for (auto& m : bundle.config.mounts) {
    if (spec::is_bind_mount(m) && !m.source.empty() && !m.source.starts_with('/'))
      m.source = bundle.dir + "/" + m.source;
  }
  return bundle;
}

}  // namespace minirun::runtime
