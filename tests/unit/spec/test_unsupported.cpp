#include <gtest/gtest.h>

#include "spec/parse.hpp"
#include "spec/unsupported.hpp"

namespace minirun::spec {
namespace {

Config minimal() {
  return parse_config(R"({"ociVersion":"1.2.0","root":{"path":"rootfs"},
      "process":{"args":["sh"],"cwd":"/"},"linux":{"namespaces":[{"type":"mount"}]}})");
}

// what() of the refusal, "" when the config is fine.
std::string refusal(const Config& c) {
  auto error = unsupported_in_config(c);
  return error ? error->what() : "";
}

TEST(Unsupported, AConfigWithoutThemPasses) {
  EXPECT_EQ(refusal(minimal()), "");
  Config c = minimal();
  c.linux->resources.emplace().memory.emplace().useHierarchy = true;  // what the kernel does
  c.linux->resources->memory->kernel = 1 << 20;                       // ignored, as runc ignores it
  EXPECT_EQ(refusal(c), "");
}

TEST(Unsupported, SecurityLabelsAreRefused) {
  Config c = minimal();
  c.process->apparmorProfile = "docker-default";
  EXPECT_EQ(refusal(c),
            "config.json: /process/apparmorProfile: apparmor profile \"docker-default\" is "
            "specified, but minirun does not support AppArmor");
  c = minimal();
  c.process->selinuxLabel = "system_u:system_r:container_t:s0";
  EXPECT_EQ(refusal(c),
            "config.json: /process/selinuxLabel: selinux label is specified in config, but "
            "selinux is disabled or not supported");
  c = minimal();
  c.linux->mountLabel = "system_u:object_r:container_file_t:s0";
  EXPECT_EQ(refusal(c).rfind("config.json: /linux/mountLabel: ", 0), 0u) << refusal(c);
}

TEST(Unsupported, EachFieldIsNamedByItsPointer) {
  const char* kCases[][2] = {
      {R"("process":{"args":["sh"],"cwd":"/","commandLine":"sh"})", "/process/commandLine"},
      {R"("process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0,"username":"a"}})",
       "/process/user/username"},
      {R"("process":{"args":["sh"],"cwd":"/","execCPUAffinity":{"initial":"0"}})",
       "/process/execCPUAffinity"},
      {R"("linux":{"intelRdt":{"closID":"x"}})", "/linux/intelRdt"},
      {R"("linux":{"memoryPolicy":{"mode":"MPOL_BIND"}})", "/linux/memoryPolicy"},
      {R"("linux":{"resources":{"memory":{"useHierarchy":false}}})",
       "/linux/resources/memory/useHierarchy"},
  };
  for (const auto& [fields, pointer] : kCases) {
    std::string text = R"({"ociVersion":"1.2.0","root":{"path":"rootfs"},)" + std::string(fields);
    if (std::string(fields).rfind(R"("process")", 0) != 0)
      text += R"(,"process":{"args":["sh"],"cwd":"/"})";
    text += "}";
    std::string line = refusal(parse_config(text));
    EXPECT_EQ(line.rfind("config.json: " + std::string(pointer) + ": ", 0), 0u)
        << text << " -> " << line;
  }
}

TEST(Unsupported, NullCountsAsAbsent) {
  Config c = parse_config(R"({"ociVersion":"1.2.0","root":{"path":"rootfs"},
      "process":{"args":["sh"],"cwd":"/","execCPUAffinity":null},"linux":{"intelRdt":null}})");
  EXPECT_EQ(refusal(c), "");
}

TEST(Unsupported, AnExecProcessIsCheckedFromItsOwnRoot) {
  Process p = parse_process(R"({"args":["sh"],"cwd":"/","selinuxLabel":"x"})");
  auto error = unsupported_in_process(p, "");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->pointer(), "/selinuxLabel");
}

TEST(Unsupported, UpdateResourcesAreCheckedToo) {
  Resources r = parse_resources(R"({"memory":{"limit":1048576,"useHierarchy":false}})");
  auto error = unsupported_in_resources(r, "");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->pointer(), "/memory/useHierarchy");
}

}  // namespace
}  // namespace minirun::spec
