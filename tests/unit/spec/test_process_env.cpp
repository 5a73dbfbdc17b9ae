#include <gtest/gtest.h>

#include "spec/process_env.hpp"

using minirun::spec::env_is_final;
using minirun::spec::final_env;
using minirun::spec::invalid_env_entry;
using minirun::spec::needs_home;
using Env = std::vector<std::string>;

TEST(ProcessEnv, HomeIsNeededWhenMissingOrEmpty) {
  EXPECT_TRUE(needs_home({}));
  EXPECT_TRUE(needs_home({"PATH=/bin"}));
  EXPECT_TRUE(needs_home({"HOME="}));
  EXPECT_TRUE(needs_home({"HOME=/a", "HOME="}));  // the last one counts
  EXPECT_FALSE(needs_home({"HOME=/", "PATH=/bin"}));
  EXPECT_FALSE(needs_home({"HOME=", "HOME=/a"}));
  EXPECT_TRUE(needs_home({"HOMEDIR=/a"}));
}

TEST(ProcessEnv, HomeIsAddedAtTheEndOrInPlaceOfAnEmptyOne) {
  EXPECT_EQ(final_env({"PATH=/bin", "TERM=xterm"}, "/root"),
            (Env{"PATH=/bin", "TERM=xterm", "HOME=/root"}));
  EXPECT_EQ(final_env({"HOME=", "PATH=/bin"}, "/home/alice"),
            (Env{"HOME=/home/alice", "PATH=/bin"}));
  EXPECT_EQ(final_env({"HOME=/given"}, "/unused"), (Env{"HOME=/given"}));
}

TEST(ProcessEnv, RepeatedKeysKeepTheirFirstPlaceAndLastValue) {
  // What runc 1.1.5 passes for this process.env (its init calls os.Setenv for each).
  EXPECT_EQ(final_env({"PATH=/bin", "A=1", "HOME=", "B=2", "A=3"}, "/root"),
            (Env{"PATH=/bin", "A=3", "HOME=/root", "B=2"}));
  EXPECT_EQ(final_env({"HOME=/x", "HOME=/y"}, "/root"), (Env{"HOME=/y"}));
  // A key is everything before the first '='.
  EXPECT_EQ(final_env({"A=b=c", "A=d", "HOME=/"}, ""), (Env{"A=d", "HOME=/"}));
}

TEST(ProcessEnv, FinalWhenHomeIsSetAndNoKeyRepeats) {
  EXPECT_TRUE(env_is_final({"PATH=/bin", "HOME=/root"}));
  EXPECT_FALSE(env_is_final({"PATH=/bin"}));
  EXPECT_FALSE(env_is_final({"HOME=/root", "A=1", "A=2"}));
}

TEST(ProcessEnv, InvalidEntriesAreRefusedInRuncsWords) {
  EXPECT_FALSE(invalid_env_entry("A=1"));
  EXPECT_FALSE(invalid_env_entry("A="));
  EXPECT_EQ(invalid_env_entry("NOEQ"), "invalid environment variable: \"NOEQ\"");
  EXPECT_EQ(invalid_env_entry("=x"), "environment variable name can't be empty: \"=x\"");
  EXPECT_EQ(invalid_env_entry(std::string("A=b\0c", 5)),
            "environment variable value can't contain null(\\x00): \"A=b\\x00c\"");
  EXPECT_EQ(invalid_env_entry(std::string("A\0=b", 4)),
            "environment variable name can't contain null(\\x00): \"A\\x00=b\"");
}
