// A fake cgroupfs made of plain files in a temp dir: no root and no real cgroup needed. Unlike
// cgroupfs, files do not come with a directory: a test puts the ones the code reads or writes.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

class FakeTree : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/minirun-cgtest-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string put(const std::string& rel, const std::string& text = "") {
    std::string path = root_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }
  std::string get(const std::string& rel) {
    std::ifstream in(root_ + "/" + rel);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string dir(const std::string& rel) { return root_ + "/" + rel; }

  std::string root_;
};
