// The container status enum and runc's words for it, both ways.
#include <gtest/gtest.h>

#include "spec/container_status.hpp"

namespace minirun::spec {
namespace {

TEST(ContainerStatus, RuncWords) {
  EXPECT_EQ(to_string(ContainerStatus::creating), "creating");
  EXPECT_EQ(to_string(ContainerStatus::created), "created");
  EXPECT_EQ(to_string(ContainerStatus::running), "running");
  EXPECT_EQ(to_string(ContainerStatus::paused), "paused");
  EXPECT_EQ(to_string(ContainerStatus::stopped), "stopped");
}

TEST(ContainerStatus, ReadsBackWhatItWrites) {
  for (auto status : {ContainerStatus::creating, ContainerStatus::created, ContainerStatus::running,
                      ContainerStatus::paused, ContainerStatus::stopped})
    EXPECT_EQ(container_status_from(to_string(status)), status) << to_string(status);
}

TEST(ContainerStatus, RefusesOtherWords) {
  EXPECT_FALSE(container_status_from(""));
  EXPECT_FALSE(container_status_from("Running"));
  EXPECT_FALSE(container_status_from("exited"));
  EXPECT_FALSE(container_status_from("unknown"));
}

}  // namespace
}  // namespace minirun::spec
