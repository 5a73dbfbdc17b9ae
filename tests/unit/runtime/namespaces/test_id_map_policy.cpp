// The id maps an unprivileged caller may ask for: its own ids, size 1, and ranges /etc/subuid
// grants (through newuidmap). The hosts' /etc/subuid ranges start at 100000 or later, so the
// ids refused here are granted to nobody.
#include <gtest/gtest.h>

#include "runtime/namespaces/id_map_policy.hpp"

using namespace minirun;
using namespace minirun::runtime;

namespace {

spec::Linux mapping(uint32_t uid, uint32_t gid, uint32_t size = 1) {
  spec::Linux l;
  l.uidMappings.push_back({0, uid, size});
  l.gidMappings.push_back({0, gid, size});
  return l;
}

}  // namespace

TEST(IdMapPolicy, TheCallersOwnIdsPass) {
  EXPECT_TRUE(check_id_maps_for_caller(mapping(1000, 1001), 1000, 1001));
  EXPECT_TRUE(check_id_maps_for_caller(spec::Linux{}, 1000, 1001));
}

TEST(IdMapPolicy, RootMayMapAnything) {
  EXPECT_TRUE(check_id_maps_for_caller(mapping(0, 0, 65536), 0, 0));
}

TEST(IdMapPolicy, AnotherIdARangeOrAnOverlapIsRefusedNamingTheField) {
  auto uid = check_id_maps_for_caller(mapping(0, 1001), 1000, 1001);
  ASSERT_FALSE(uid);
  EXPECT_EQ(uid.error().describe().rfind("config.json: /linux/uidMappings/0: host uid 0 ", 0), 0u)
      << uid.error().describe();
  auto range = check_id_maps_for_caller(mapping(1000, 1001, 2), 1000, 1001);
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().describe().find("/linux/uidMappings/0"), std::string::npos);
  auto gid = check_id_maps_for_caller(mapping(1000, 5), 1000, 1001);
  ASSERT_FALSE(gid);
  EXPECT_NE(gid.error().describe().find("/linux/gidMappings/0"), std::string::npos);
  spec::Linux two = mapping(1000, 1001);
  two.uidMappings.push_back({1, 1000, 1});
  auto second = check_id_maps_for_caller(two, 1000, 1001);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().describe().find("/linux/uidMappings/1: host uids overlap "
                                           "/linux/uidMappings/0's"),
            std::string::npos)
      << second.error().describe();
}

TEST(IdMapPolicy, ARangeNoSubuidLineGrantsIsRefusedNamingTheFile) {
  spec::Linux l = mapping(1000, 1001);
  l.uidMappings.push_back({1, 5, 10});
  auto r = check_id_maps_for_caller(l, 1000, 1001);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("config.json: /linux/uidMappings/1: host uid 5 (size 10) is "
                                      "neither the caller's own uid 1000, size 1, nor inside a "
                                      "range /etc/subuid grants "),
            std::string::npos)
      << r.error().describe();
}
