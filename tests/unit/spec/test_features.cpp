#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spec/features.hpp"
#include "spec/mount_options.hpp"
#include "spec/tables.hpp"

namespace minirun {
namespace {

nlohmann::json features() {
  spec::FeaturesInput input;
  input.libseccomp_version = "2.5.4";
  input.seccomp_supported_flags = {"SECCOMP_FILTER_FLAG_LOG"};
  return nlohmann::json::parse(spec::features_json(input));
}

TEST(Features, RequiredVersionsAndAllHooks) {
  auto f = features();
  EXPECT_EQ(f["ociVersionMin"], "1.0.0");
  EXPECT_EQ(f["ociVersionMax"], "1.3.0");
  EXPECT_EQ(f["hooks"], nlohmann::json({"prestart", "createRuntime", "createContainer",
                                        "startContainer", "poststart", "poststop"}));
}

TEST(Features, PrintedWithFourSpaceIndentLikeRunc) {
  spec::FeaturesInput input;
  std::string text = spec::features_json(input);
  EXPECT_EQ(text.rfind("{\n    \"ociVersionMin\": \"1.0.0\",\n", 0), 0u) << text.substr(0, 60);
}

TEST(Features, LinuxSectionNamesWhatTheRuntimeKnows) {
  auto linux = features()["linux"];
  EXPECT_EQ(linux["namespaces"].size(), 8u);
  EXPECT_EQ(linux["capabilities"].size(), spec::capability_names().size());
  EXPECT_EQ(linux["capabilities"][0], "CAP_CHOWN");
  EXPECT_EQ(linux["cgroup"]["systemd"], false);
  EXPECT_EQ(linux["cgroup"]["rdma"], true);  // linux.resources.rdma is applied
  EXPECT_EQ(linux["intelRdt"]["enabled"], false);
  EXPECT_EQ(linux["seccomp"]["enabled"], true);
  EXPECT_EQ(linux["seccomp"]["supportedFlags"], nlohmann::json({"SECCOMP_FILTER_FLAG_LOG"}));
  EXPECT_EQ(linux["seccomp"]["knownFlags"].size(), 4u);
  EXPECT_EQ(linux["apparmor"]["enabled"], false);
  EXPECT_EQ(linux["selinux"]["enabled"], false);
  EXPECT_EQ(linux["netDevices"]["enabled"], true);
}

TEST(Features, LibseccompVersionAnnotation) {
  EXPECT_EQ(features()["annotations"]["io.github.seccomp.libseccomp.version"], "2.5.4");
}

// The list must not promise an option the mount code would pass to the filesystem as data.
TEST(Features, EveryListedMountOptionIsRecognisedByTheParser) {
  for (auto option : spec::known_mount_options()) {
    auto parsed = spec::parse_mount_options({std::string(option)});
    EXPECT_TRUE(parsed.data.empty()) << option;
  }
  auto list = spec::known_mount_options();
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
}

}  // namespace
}  // namespace minirun
