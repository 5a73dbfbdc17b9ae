// Every teaching lab (examples/labs/NN-name/run.sh) runs to the end against the built binary.
#include <algorithm>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lab_names() {
  std::vector<std::string> names;
  fs::path labs = fs::path(MINIRUN_SOURCE_DIR) / "examples" / "labs";
  if (!fs::is_directory(labs)) return names;
  for (const auto& entry : fs::directory_iterator(labs))
    if (entry.is_directory() && fs::exists(entry.path() / "run.sh"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class Lab : public LeakCheck, public ::testing::WithParamInterface<std::string> {};

TEST_P(Lab, RunsToTheEnd) {
  MINIRUN_SKIP_UNLESS_MINIRUN();  // the labs compare minirun with runc themselves
  fs::path script = fs::path(MINIRUN_SOURCE_DIR) / "examples" / "labs" / GetParam() / "run.sh";
  RunOptions opts;
  opts.extra_env = {"MINIRUN=" + runtime_binary()};
  opts.timeout = std::chrono::minutes(2);
  RunResult r = run_process({script.string()}, opts);
  ASSERT_FALSE(r.timed_out) << r;
  EXPECT_EQ(r.exit_code, 0) << r;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(),
      [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Examples, Lab, ::testing::ValuesIn(lab_names()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Lab);

}  // namespace
}  // namespace minirun::itest
