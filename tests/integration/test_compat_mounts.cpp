// Configs runc accepts that minirun refused or broke (issue 12, item 6): every
// linux.rootfsPropagation value. Every test runs under runc as well:
//   MINIRUN_TEST_BINARY=/usr/sbin/runc build/tests/integration_tests --gtest_filter='Compat*'
// Where runc 1.1.5 does something else and minirun does not follow on purpose
// (docs/runc-differences.md), the expectation says which runtime does what.
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// The lines of `out` that start with `prefix`, without it.
std::vector<std::string> tagged(const std::string& out, const std::string& prefix) {
  std::vector<std::string> found;
  for (const auto& line : split_lines(out))
    if (line.rfind(prefix, 0) == 0) found.push_back(line.substr(prefix.size()));
  return found;
}

// "shared:3" -> "shared", "master:2" -> "master", "unbindable", "-".
std::string propagation_kind(const std::string& field) {
  return field.substr(0, field.find(':'));
}

// --- rootfsPropagation -------------------------------------------------------------------------

struct PropagationCase {
  const char* value;  // linux.rootfsPropagation; "" leaves it out (rslave)
  // What the container's mountinfo shows for "/": "master" (a slave of the caller's mount),
  // "shared", "unbindable", "-" (private); "fail": the runtime refuses the config.
  const char* ours_on_root_mount;
  const char* runc_on_root_mount;
  const char* ours_below_shared;
  const char* runc_below_shared;
};

void PrintTo(const PropagationCase& c, std::ostream* os) {
  *os << "rootfsPropagation \"" << c.value << "\"";
}

// A rootfs directory on the mount of "/" itself, as a bundle under /var/lib or a home directory
// is: an unbindable "/" then holds the rootfs too. Removed when done.
class DirOnTheRootMount {
 public:
  DirOnTheRootMount()
      : dir_(fs::path("/var/tmp") / ("minirun-it." + std::to_string(getpid())) /
             ::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    fs::create_directories(dir_);
  }
  ~DirOnTheRootMount() {
    remove_tree(dir_);
    std::error_code ec;
    fs::remove(dir_.parent_path(), ec);  // once empty
  }
  const fs::path& dir() const { return dir_; }
  bool on_root_mount() const {
    std::string best;
    for (const auto& m : host_mounts()) {
      const std::string& p = m.mount_point;
      bool holds = p == "/" || dir_.string() == p || dir_.string().rfind(p + "/", 0) == 0;
      if (holds && p.size() >= best.size()) best = p;
    }
    return best == "/";
  }

 private:
  fs::path dir_;
};

class CompatPropagation : public LeakCheck, public ::testing::WithParamInterface<PropagationCase> {
 protected:
  // Prints "inside <mount point> <options> <first optional field>" for /, /proc and /proc/sys
  // (made read-only by a bind onto itself, after the masked paths' binds).
  static Bundle& configured(Bundle& bundle, const PropagationCase& c) {
    if (*c.value) bundle.config["linux"]["rootfsPropagation"] = c.value;
    return bundle;
  }
  static std::vector<std::string> args() {
    return {"awk",
            "$5 == \"/\" || $5 == \"/proc\" || $5 == \"/proc/sys\" "
            "{ print \"inside \" $5 \" \" $6 \" \" $7 }",
            "/proc/self/mountinfo"};
  }

  static void check(const RunResult& r, const std::string& expected) {
    SCOPED_TRACE(is_minirun() ? "minirun" : "runc");
    if (expected == "fail") {
      EXPECT_NE(r.exit_code, 0) << r;
      return;
    }
    ASSERT_EQ(r.exit_code, 0) << r;
    auto inside = tagged(r.out, "inside ");
    ASSERT_EQ(inside.size(), 3u) << r;
    auto fields = [](const std::string& line) {
      std::vector<std::string> out;
      std::istringstream in(line);
      for (std::string w; in >> w;) out.push_back(w);
      return out;
    };
    auto root = fields(inside[0]), proc = fields(inside[1]), sys = fields(inside[2]);
    ASSERT_EQ(root.size(), 3u) << r;
    EXPECT_EQ(root[0], "/") << r;
    EXPECT_EQ(propagation_kind(root[2]), expected) << r;
    // r-forms reach every mount.
    if (std::string(GetParam().value) == "runbindable") {
      EXPECT_EQ(proc[2], "unbindable") << r;
    }
    ASSERT_EQ(sys.size(), 3u) << r;
    EXPECT_TRUE(contains("," + sys[1] + ",", ",ro,")) << r;
  }
};

// The container gets its own mount namespace; the runtime runs in a private copy of the test's
// (unshare -m --propagation private), so "/" is private whatever the host's is.
TEST_P(CompatPropagation, RootfsOnTheMountOfSlash) {
  const PropagationCase& c = GetParam();
  DirOnTheRootMount place;
  if (!place.on_root_mount()) GTEST_SKIP() << place.dir() << " is not on the mount of /";
  Bundle bundle(args());
  configured(bundle, c);
  ASSERT_EQ(run_process({"cp", "-a", bundle.rootfs().string(), place.dir().string()}).exit_code, 0);
  bundle.config["root"]["path"] = (place.dir() / "rootfs").string();
  bundle.write();
  RunResult r = run_process({"unshare", "-m", "--propagation", "private", "sh", "-c",
                             runtime_command_line() + " run --bundle " +
                                 shell_quote(bundle.dir().string()) + " " + bundle.id});
  check(r, is_minirun() ? c.ours_on_root_mount : c.runc_on_root_mount);
}

TEST_P(CompatPropagation, RootfsBelowASharedMount) {
  const PropagationCase& c = GetParam();
  SharedTmpfs shared(test_dir() / "shared");
  ASSERT_TRUE(shared.mounted());
  Bundle bundle(args());
  configured(bundle, c);
  ASSERT_EQ(run_process({"cp", "-a", bundle.rootfs().string(), shared.dir().string()}).exit_code,
            0);
  bundle.config["root"]["path"] = (shared.dir() / "rootfs").string();
  check(run_container(bundle), is_minirun() ? c.ours_below_shared : c.runc_below_shared);
}

// runc 1.1.5 sets rootfsPropagation on the caller's "/" before it binds the rootfs and never on
// the container's "/": shared ends up private, unbindable refuses the bind of a rootfs on the
// mount of "/", runbindable refuses it always. minirun gives the container's "/" the value
// asked (docs/runc-differences.md).
INSTANTIATE_TEST_SUITE_P(
    Compat, CompatPropagation,
    ::testing::Values(PropagationCase{"", "-", "-", "master", "master"},
                      PropagationCase{"shared", "shared", "-", "shared", "-"},
                      PropagationCase{"rshared", "shared", "-", "shared", "-"},
                      PropagationCase{"slave", "-", "-", "-", "-"},
                      PropagationCase{"rslave", "-", "-", "master", "master"},
                      PropagationCase{"private", "-", "-", "-", "-"},
                      PropagationCase{"rprivate", "-", "-", "-", "-"},
                      PropagationCase{"unbindable", "unbindable", "fail", "unbindable", "-"},
                      PropagationCase{"runbindable", "unbindable", "fail", "unbindable", "fail"}),
    [](const auto& info) { return std::string(*info.param.value ? info.param.value : "default"); });

}  // namespace
}  // namespace minirun::itest
