// Whether a uid_map is a non-initial user namespace's, as runc's RunningInUserNS reads it.
#include <gtest/gtest.h>

#include "runtime/sys/user_namespace.hpp"

using minirun::sys::uid_map_is_user_namespace;

TEST(UserNamespace, OnlyTheFullIdentityMapIsTheInitialNamespace) {
  EXPECT_FALSE(uid_map_is_user_namespace("         0          0 4294967295\n"));
  EXPECT_FALSE(uid_map_is_user_namespace("0 0 4294967295"));
  EXPECT_FALSE(uid_map_is_user_namespace(""));  // no uid_map: no user namespaces at all
  // Rootless podman's namespace: 0 -> the user, then the subuid range.
  EXPECT_TRUE(
      uid_map_is_user_namespace("         0       1001          1\n"
                                "         1     100000      65536\n"));
  EXPECT_TRUE(uid_map_is_user_namespace("0 0 65536\n"));  // identity, but not all of it
  EXPECT_TRUE(uid_map_is_user_namespace("0 1000 4294967295\n"));
  EXPECT_TRUE(uid_map_is_user_namespace("garbage\n"));
}
