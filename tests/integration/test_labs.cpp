// Every teaching lab (examples/labs/NN-name/run.sh) runs to the end against the built binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

class Lab : public ::testing::TestWithParam<std::string> {};

TEST_P(Lab, RunsToTheEnd) {
  if (geteuid() != 0) GTEST_SKIP() << "labs need root";
  fs::path script = fs::path(MINIRUN_SOURCE_DIR) / "examples" / "labs" / GetParam() / "run.sh";
  fs::path log = fs::temp_directory_path() / ("minirun-lab-" + GetParam() + ".log");
  std::string command = "MINIRUN='" + std::string(MINIRUN_BINARY) + "' '" + script.string() +
                        "' </dev/null >'" + log.string() + "' 2>&1";
  int raw = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  fs::remove(log);
  ASSERT_TRUE(WIFEXITED(raw)) << output.str();
  EXPECT_EQ(WEXITSTATUS(raw), 0) << output.str();
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
