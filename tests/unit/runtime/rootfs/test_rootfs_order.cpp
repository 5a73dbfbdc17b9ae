// Which rootfs steps init takes before its first wait for the parent (order_rootfs_steps).
#include <gtest/gtest.h>

#include "runtime/rootfs/order.hpp"

using namespace minirun::runtime;
using minirun::spec::Mount;
using Paths = std::vector<std::string>;

namespace {

// runc spec's mounts, masked and readonly paths; a new network namespace made by the parent.
struct Fixture {
  minirun::spec::Config config;
  NamespacePlan plan;

  Fixture() {
    config.process.emplace();
    config.process->cwd = "/";
    config.mounts = {{"/proc", "proc", "proc", {}, {}, {}},
                     {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime"}, {}, {}},
                     {"/dev/pts", "devpts", "devpts", {}, {}, {}},
                     {"/dev/shm", "tmpfs", "shm", {}, {}, {}},
                     {"/dev/mqueue", "mqueue", "mqueue", {}, {}, {}},
                     {"/sys", "sysfs", "sysfs", {"ro"}, {}, {}},
                     {"/sys/fs/cgroup", "cgroup", "cgroup", {"ro"}, {}, {}}};
    config.linux.emplace();
    config.linux->maskedPaths = {"/proc/acpi", "/proc/kcore", "/sys/firmware", "/proc/scsi"};
    config.linux->readonlyPaths = {"/proc/bus", "/proc/sys", "/proc/sysrq-trigger"};
    plan.new_net = true;
  }

  void add_mount(const std::string& destination) {
    config.mounts.push_back({destination, "tmpfs", "tmpfs", {}, {}, {}});
  }
  RootfsStepOrder order() const { return order_rootfs_steps(config, plan); }
};

}  // namespace

TEST(RootfsOrder, SysfsOfTheParentsNetworkNamespaceIsTheFirstWait) {
  Fixture f;
  EXPECT_TRUE(mount_waits_for_parent(f.plan, f.config.mounts[5]));  // sysfs
  EXPECT_TRUE(mount_waits_for_parent(f.plan, f.config.mounts[6]));  // cgroup
  EXPECT_FALSE(mount_waits_for_parent(f.plan, f.config.mounts[0]));
  auto order = f.order();
  EXPECT_EQ(order.early_before_mount, 5u);
}

TEST(RootfsOrder, WithoutANetworkNamespaceOfTheParentsTheCgroupMountIsTheFirstWait) {
  Fixture f;
  f.plan.new_net = false;
  EXPECT_FALSE(mount_waits_for_parent(f.plan, f.config.mounts[5]));
  EXPECT_EQ(f.order().early_before_mount, 6u);
}

TEST(RootfsOrder, DevAndTheProcPathsGoEarlySysfsPathsWaitForSysfs) {
  auto order = Fixture().order();
  EXPECT_TRUE(order.dev_early);
  EXPECT_EQ(order.early_masked, (Paths{"/proc/acpi", "/proc/kcore", "/proc/scsi"}));
  EXPECT_EQ(order.late_masked, (Paths{"/sys/firmware"}));
  EXPECT_EQ(order.early_readonly, (Paths{"/proc/bus", "/proc/sys", "/proc/sysrq-trigger"}));
  EXPECT_TRUE(order.late_readonly.empty());
}

TEST(RootfsOrder, ProcSysStaysLateWhenASysctlIsWrittenBelowIt) {
  Fixture f;
  f.config.linux->sysctl["net.ipv4.ip_forward"] = "1";
  f.config.linux->readonlyPaths.push_back("/proc/sys/kernel");
  auto order = f.order();
  // /proc/sys/kernel holds no sysctl of the config, but /proc/sys, late, lies above it.
  EXPECT_EQ(order.late_readonly, (Paths{"/proc/sys", "/proc/sys/kernel"}));
  EXPECT_EQ(order.early_readonly, (Paths{"/proc/bus", "/proc/sysrq-trigger"}));

  Fixture alone;
  alone.config.linux->sysctl["net.ipv4.ip_forward"] = "1";
  alone.config.linux->readonlyPaths = {"/proc/sys/net/ipv4", "/proc/sys/kernel"};
  auto split = alone.order();
  EXPECT_EQ(split.late_readonly, (Paths{"/proc/sys/net/ipv4"}));
  EXPECT_EQ(split.early_readonly, (Paths{"/proc/sys/kernel"}));
}

TEST(RootfsOrder, APathUnderALateReadonlyPathStaysLateWithIt) {
  Fixture f;
  f.config.linux->sysctl["net.ipv4.ip_forward"] = "1";
  f.config.linux->readonlyPaths = {"/proc/sys", "/proc/sys/kernel", "/proc/bus"};
  f.config.linux->maskedPaths = {"/proc/sys/kernel/core_pattern", "/proc/acpi"};
  auto order = f.order();
  EXPECT_EQ(order.late_readonly, (Paths{"/proc/sys", "/proc/sys/kernel"}));
  EXPECT_EQ(order.early_readonly, (Paths{"/proc/bus"}));
  EXPECT_EQ(order.late_masked, (Paths{"/proc/sys/kernel/core_pattern"}));
  EXPECT_EQ(order.early_masked, (Paths{"/proc/acpi"}));
}

TEST(RootfsOrder, ALaterMountAtAboveOrBelowAPathKeepsItLate) {
  Fixture f;
  f.add_mount("/proc/acpi");          // at
  f.add_mount("/proc/kcore/../bus");  // at, once clean
  f.add_mount("/proc/scsi/host0");    // below
  auto order = f.order();
  EXPECT_EQ(order.early_masked, (Paths{"/proc/kcore"}));
  EXPECT_EQ(order.late_masked, (Paths{"/proc/acpi", "/sys/firmware", "/proc/scsi"}));
  EXPECT_EQ(order.late_readonly, (Paths{"/proc/bus"}));

  Fixture above;
  above.add_mount("/proc");
  auto none = above.order();
  EXPECT_TRUE(none.early_masked.empty());
  EXPECT_TRUE(none.early_readonly.empty());
  EXPECT_TRUE(none.dev_early);
}

TEST(RootfsOrder, ALaterMountOnDevKeepsDevAndEveryMaskLate) {
  Fixture f;
  f.add_mount("/dev/custom");
  auto order = f.order();
  EXPECT_FALSE(order.dev_early);
  EXPECT_TRUE(order.early_masked.empty()) << "a mask may need the final /dev/null";
  EXPECT_EQ(order.late_masked, f.config.linux->maskedPaths);
  EXPECT_EQ(order.early_readonly, (Paths{"/proc/bus", "/proc/sys", "/proc/sysrq-trigger"}));
}

TEST(RootfsOrder, TheWorkingDirectoryIsMadeAfterTheMountsSoAPathAboveItStaysLate) {
  Fixture f;
  f.config.process->cwd = "/proc/acpi/work";
  auto order = f.order();
  EXPECT_EQ(order.early_masked, (Paths{"/proc/kcore", "/proc/scsi"}));
}

TEST(RootfsOrder, WithATerminalDevConsoleIsStillToCome) {
  Fixture f;
  f.config.process->terminal = true;
  f.config.linux->readonlyPaths.push_back("/dev");
  f.config.linux->maskedPaths.push_back("/dev/console");
  auto order = f.order();
  EXPECT_TRUE(order.dev_early) << "the nodes do not include the console";
  EXPECT_EQ(order.late_readonly, (Paths{"/dev"}));
  EXPECT_EQ(order.late_masked, (Paths{"/sys/firmware", "/dev/console"}));
  f.config.process->terminal = false;
  EXPECT_TRUE(f.order().late_readonly.empty());
}

TEST(RootfsOrder, HooksThatRunAfterTheMountsKeepEverythingLate) {
  for (const char* kind : {"prestart", "createRuntime", "createContainer"}) {
    Fixture f;
    f.config.hooks.emplace();
    minirun::spec::Hook hook;
    hook.path = "/bin/true";
    if (std::string(kind) == "prestart") f.config.hooks->prestart = {hook};
    if (std::string(kind) == "createRuntime") f.config.hooks->createRuntime = {hook};
    if (std::string(kind) == "createContainer") f.config.hooks->createContainer = {hook};
    auto order = f.order();
    EXPECT_FALSE(order.early_before_mount) << kind;
    EXPECT_FALSE(order.dev_early) << kind;
    EXPECT_EQ(order.late_masked, f.config.linux->maskedPaths) << kind;
    EXPECT_EQ(order.late_readonly, f.config.linux->readonlyPaths) << kind;
  }
  Fixture later_hooks;
  later_hooks.config.hooks.emplace();
  later_hooks.config.hooks->poststart.emplace_back();
  later_hooks.config.hooks->startContainer.emplace_back();
  EXPECT_TRUE(later_hooks.order().early_before_mount);
}

TEST(RootfsOrder, InANewUserNamespaceInitWaitsFirstThingSoNothingMoves) {
  Fixture f;
  f.plan.new_user = true;
  EXPECT_FALSE(mount_waits_for_parent(f.plan, f.config.mounts[6]));
  auto order = f.order();
  EXPECT_FALSE(order.early_before_mount);
  EXPECT_FALSE(order.dev_early);
  EXPECT_EQ(order.late_masked, f.config.linux->maskedPaths);
}

TEST(RootfsOrder, NoMountThatWaitsMeansNothingMoves) {
  Fixture f;
  f.config.mounts.resize(5);  // no sysfs, no cgroup
  auto order = f.order();
  EXPECT_FALSE(order.early_before_mount);
  EXPECT_FALSE(order.dev_early);
  EXPECT_EQ(order.late_readonly, f.config.linux->readonlyPaths);
}

TEST(RootfsOrder, ABindMountedDevIsNotMadeButItsNullServesEarlyMasks) {
  Fixture f;
  f.config.mounts[1] = {"/dev", "bind", "/dev", {"rbind"}, {}, {}};
  auto order = f.order();
  EXPECT_FALSE(order.dev_early);
  EXPECT_EQ(order.early_masked, (Paths{"/proc/acpi", "/proc/kcore", "/proc/scsi"}));
}
