#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "spec/parse.hpp"

namespace minirun::spec {
namespace {

// Parses `text` and returns what() of the ConfigError, or "" when it parsed.
std::string parse_error(std::string_view text) {
  try {
    parse_config(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// A minimal valid document with `extra` members spliced in at the top level.
std::string doc(std::string_view extra = "") {
  std::string s = R"({"ociVersion": "1.2.0")";
  if (!extra.empty()) s += std::string(", ") + std::string(extra);
  return s + "}";
}

std::string with_process(std::string_view members) {
  return doc(R"("process": {"args": ["sh"], "cwd": "/", )" + std::string(members) + "}");
}

std::string with_linux(std::string_view members) {
  return doc(R"("linux": {)" + std::string(members) + "}");
}

TEST(ConfigError, WhatJoinsPointerAndDetail) {
  ConfigError e("/process/args/0", "expected a string");
  EXPECT_STREQ(e.what(), "config.json: /process/args/0: expected a string");
  EXPECT_EQ(e.pointer(), "/process/args/0");
  EXPECT_EQ(e.detail(), "expected a string");
}

TEST(ConfigError, EmptyPointerIsLeftOut) {
  ConfigError e("", "invalid JSON: x");
  EXPECT_STREQ(e.what(), "config.json: invalid JSON: x");
}

TEST(JsonPointerToken, EscapesTildeAndSlash) {
  EXPECT_EQ(json_pointer_token("net/ipv4/ip_forward"), "net~1ipv4~1ip_forward");
  EXPECT_EQ(json_pointer_token("a~b"), "a~0b");
  EXPECT_EQ(json_pointer_token("~/"), "~0~1");
  EXPECT_EQ(json_pointer_token("kernel.shmmax"), "kernel.shmmax");
}

TEST(Parse, MinimalDocument) {
  Config c = parse_config(doc());
  EXPECT_EQ(c.ociVersion, "1.2.0");
  EXPECT_FALSE(c.root);
  EXPECT_FALSE(c.process);
  EXPECT_FALSE(c.linux);
  EXPECT_FALSE(c.hooks);
  EXPECT_TRUE(c.mounts.empty());
}

TEST(Parse, InvalidJsonNamesReasonAndByteOffset) {
  std::string what = parse_error(R"({"ociVersion": )");
  EXPECT_EQ(what.rfind("config.json: invalid JSON: ", 0), 0u) << what;
  EXPECT_NE(what.find("at byte 16"), std::string::npos) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos);
  EXPECT_EQ(what.find("json.exception"), std::string::npos) << what;
  try {
    parse_config("nope");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.pointer(), "");
  }
}

TEST(Parse, InvalidJsonStaysOnOneLine) {
  std::string what = parse_error("{\n  \"ociVersion\": \"1.0.0\",\n  \"process\": {\n}\n\n x");
  EXPECT_EQ(what.rfind("config.json: invalid JSON: ", 0), 0u) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  EXPECT_EQ(parse_error(""),
            "config.json: invalid JSON: unexpected end of input, expected a value at byte 1");
}

TEST(Parse, TopLevelMustBeObject) {
  EXPECT_EQ(parse_error("[]"), "config.json: expected an object");
  EXPECT_EQ(parse_error("42"), "config.json: expected an object");
}

TEST(Parse, OciVersionRequiredAndString) {
  EXPECT_EQ(parse_error("{}"), "config.json: /ociVersion: missing required field");
  EXPECT_EQ(parse_error(R"({"ociVersion": 1})"), "config.json: /ociVersion: expected a string");
  EXPECT_EQ(parse_error(R"({"ociVersion": null})"),
            "config.json: /ociVersion: missing required field");
}

TEST(Parse, UnknownFieldsAreIgnored) {
  Config c = parse_config(doc(R"("futureField": {"x": [1, 2]}, "linux": {"newThing": true})"));
  EXPECT_TRUE(c.linux);
}

TEST(Parse, Root) {
  Config c = parse_config(doc(R"("root": {"path": "rootfs", "readonly": true})"));
  ASSERT_TRUE(c.root);
  EXPECT_EQ(c.root->path, "rootfs");
  EXPECT_TRUE(c.root->readonly);
  EXPECT_EQ(parse_error(doc(R"("root": {})")), "config.json: /root/path: missing required field");
  EXPECT_EQ(parse_error(doc(R"("root": {"path": "r", "readonly": "yes"})")),
            "config.json: /root/readonly: expected a boolean");
  EXPECT_EQ(parse_error(doc(R"("root": "rootfs")")), "config.json: /root: expected an object");
}

TEST(Parse, Mounts) {
  Config c = parse_config(doc(R"("mounts": [
      {"destination": "/proc", "type": "proc", "source": "proc"},
      {"destination": "/data", "type": "bind", "source": "/srv", "options": ["rbind", "ro"],
       "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
       "gidMappings": [{"containerID": 0, "hostID": 2000, "size": 2}]}])"));
  ASSERT_EQ(c.mounts.size(), 2u);
  EXPECT_EQ(c.mounts[0].destination, "/proc");
  EXPECT_EQ(c.mounts[0].type, "proc");
  EXPECT_EQ(c.mounts[1].source, "/srv");
  EXPECT_EQ(c.mounts[1].options, (std::vector<std::string>{"rbind", "ro"}));
  ASSERT_EQ(c.mounts[1].uidMappings.size(), 1u);
  EXPECT_EQ(c.mounts[1].uidMappings[0].hostID, 1000u);
  EXPECT_EQ(c.mounts[1].gidMappings[0].size, 2u);

  EXPECT_EQ(parse_error(doc(R"("mounts": [{"type": "proc"}])")),
            "config.json: /mounts/0/destination: missing required field");
  EXPECT_EQ(parse_error(doc(R"("mounts": {"destination": "/x"})")),
            "config.json: /mounts: expected an array");
  EXPECT_EQ(parse_error(doc(R"("mounts": [{"destination": "/x", "options": ["ro", 3]}])")),
            "config.json: /mounts/0/options/1: expected a string");
  EXPECT_EQ(
      parse_error(doc(
          R"("mounts": [{"destination": "/x", "uidMappings": [{"containerID": 0, "size": 1}]}])")),
      "config.json: /mounts/0/uidMappings/0/hostID: missing required field");
}

TEST(Parse, ProcessAllFields) {
  Config c = parse_config(doc(R"("process": {
      "terminal": true,
      "consoleSize": {"height": 24, "width": 80},
      "user": {"uid": 1000, "gid": 100, "umask": 18, "additionalGids": [5, 6], "username": "u"},
      "args": ["sh", "-c", "true"],
      "commandLine": "cmd",
      "env": ["PATH=/bin", "TERM=xterm"],
      "cwd": "/home",
      "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_CHOWN"],
                       "inheritable": ["CAP_SETUID"], "permitted": ["CAP_SETGID"],
                       "ambient": ["CAP_NET_RAW"]},
      "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 512}],
      "noNewPrivileges": true,
      "oomScoreAdj": -500,
      "apparmorProfile": "prof",
      "selinuxLabel": "label",
      "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
      "scheduler": {"policy": "SCHED_DEADLINE", "nice": -5, "priority": 3, "flags": ["SCHED_FLAG_RESET_ON_FORK"],
                    "runtime": 10, "deadline": 20, "period": 30}
  })"));
  ASSERT_TRUE(c.process);
  const Process& p = *c.process;
  EXPECT_TRUE(p.terminal);
  ASSERT_TRUE(p.consoleSize);
  EXPECT_EQ(p.consoleSize->height, 24u);
  EXPECT_EQ(p.consoleSize->width, 80u);
  EXPECT_EQ(p.user.uid, 1000u);
  EXPECT_EQ(p.user.gid, 100u);
  EXPECT_EQ(p.user.umask, 18u);
  EXPECT_EQ(p.user.additionalGids, (std::vector<uint32_t>{5, 6}));
  EXPECT_EQ(p.user.username, "u");
  EXPECT_EQ(p.args, (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(p.commandLine, "cmd");
  EXPECT_EQ(p.env.size(), 2u);
  EXPECT_EQ(p.cwd, "/home");
  ASSERT_TRUE(p.capabilities);
  EXPECT_EQ(p.capabilities->bounding, std::vector<std::string>{"CAP_KILL"});
  EXPECT_EQ(p.capabilities->effective, std::vector<std::string>{"CAP_CHOWN"});
  EXPECT_EQ(p.capabilities->inheritable, std::vector<std::string>{"CAP_SETUID"});
  EXPECT_EQ(p.capabilities->permitted, std::vector<std::string>{"CAP_SETGID"});
  EXPECT_EQ(p.capabilities->ambient, std::vector<std::string>{"CAP_NET_RAW"});
  ASSERT_EQ(p.rlimits.size(), 1u);
  EXPECT_EQ(p.rlimits[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ(p.rlimits[0].hard, 1024u);
  EXPECT_EQ(p.rlimits[0].soft, 512u);
  EXPECT_TRUE(p.noNewPrivileges);
  EXPECT_EQ(p.oomScoreAdj, -500);
  EXPECT_EQ(p.apparmorProfile, "prof");
  EXPECT_EQ(p.selinuxLabel, "label");
  ASSERT_TRUE(p.ioPriority);
  EXPECT_EQ(p.ioPriority->ioprioClass, "IOPRIO_CLASS_BE");
  EXPECT_EQ(p.ioPriority->priority, 4);
  ASSERT_TRUE(p.scheduler);
  EXPECT_EQ(p.scheduler->policy, "SCHED_DEADLINE");
  EXPECT_EQ(p.scheduler->nice, -5);
  EXPECT_EQ(p.scheduler->priority, 3);
  EXPECT_EQ(p.scheduler->flags.size(), 1u);
  EXPECT_EQ(p.scheduler->runtime, 10u);
  EXPECT_EQ(p.scheduler->deadline, 20u);
  EXPECT_EQ(p.scheduler->period, 30u);
}

TEST(Parse, ProcessDefaults) {
  Config c = parse_config(with_process(R"("terminal": false)"));
  ASSERT_TRUE(c.process);
  EXPECT_EQ(c.process->user.uid, 0u);
  EXPECT_FALSE(c.process->user.umask);
  EXPECT_FALSE(c.process->capabilities);
  EXPECT_FALSE(c.process->oomScoreAdj);
  EXPECT_FALSE(c.process->consoleSize);
}

TEST(Parse, ProcessRequiredFields) {
  EXPECT_EQ(parse_error(doc(R"("process": {"cwd": "/"})")),
            "config.json: /process/args: missing required field");
  EXPECT_EQ(parse_error(doc(R"("process": {"args": ["sh"]})")),
            "config.json: /process/cwd: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("user": {"gid": 0})")),
            "config.json: /process/user/uid: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("user": {"uid": 0})")),
            "config.json: /process/user/gid: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("rlimits": [{"hard": 1, "soft": 1}])")),
            "config.json: /process/rlimits/0/type: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("rlimits": [{"type": "RLIMIT_CORE", "soft": 1}])")),
            "config.json: /process/rlimits/0/hard: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("rlimits": [{"type": "RLIMIT_CORE", "hard": 1}])")),
            "config.json: /process/rlimits/0/soft: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("consoleSize": {"height": 1})")),
            "config.json: /process/consoleSize/width: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("ioPriority": {"priority": 1})")),
            "config.json: /process/ioPriority/class: missing required field");
  EXPECT_EQ(parse_error(with_process(R"("scheduler": {"nice": 1})")),
            "config.json: /process/scheduler/policy: missing required field");
}

TEST(Parse, ProcessTypeErrors) {
  EXPECT_EQ(parse_error(doc(R"("process": {"args": ["sh", 1], "cwd": "/"})")),
            "config.json: /process/args/1: expected a string");
  EXPECT_EQ(parse_error(doc(R"("process": {"args": [7], "cwd": "/"})")),
            "config.json: /process/args/0: expected a string");
  EXPECT_EQ(parse_error(doc(R"("process": {"args": "sh", "cwd": "/"})")),
            "config.json: /process/args: expected an array");
  EXPECT_EQ(parse_error(with_process(R"("terminal": 1)")),
            "config.json: /process/terminal: expected a boolean");
  EXPECT_EQ(parse_error(with_process(R"("capabilities": {"bounding": "CAP_KILL"})")),
            "config.json: /process/capabilities/bounding: expected an array");
  EXPECT_EQ(parse_error(with_process(R"("capabilities": {"ambient": [null]})")),
            "config.json: /process/capabilities/ambient/0: expected a string");
  EXPECT_EQ(parse_error(doc(R"("process": [])")), "config.json: /process: expected an object");
}

TEST(Parse, UnsignedRangeChecks) {
  EXPECT_EQ(parse_error(with_process(R"("user": {"uid": -1, "gid": 0})")),
            "config.json: /process/user/uid: expected an unsigned 32-bit integer");
  EXPECT_EQ(parse_error(with_process(R"("user": {"uid": 4294967296, "gid": 0})")),
            "config.json: /process/user/uid: expected an unsigned 32-bit integer");
  EXPECT_EQ(parse_error(with_process(R"("user": {"uid": 1.5, "gid": 0})")),
            "config.json: /process/user/uid: expected an unsigned 32-bit integer");
  EXPECT_EQ(parse_error(with_process(R"("user": {"uid": "0", "gid": 0})")),
            "config.json: /process/user/uid: expected an unsigned 32-bit integer");
  EXPECT_EQ(parse_error(with_process(R"("user": {"uid": 0, "gid": 0, "additionalGids": [1, -2]})")),
            "config.json: /process/user/additionalGids/1: expected an unsigned 32-bit integer");
  Config c = parse_config(with_process(R"("user": {"uid": 4294967295, "gid": 0})"));
  EXPECT_EQ(c.process->user.uid, 4294967295u);
}

TEST(Parse, Unsigned64RangeChecks) {
  Config c = parse_config(with_process(
      R"("rlimits": [{"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 0}])"));
  EXPECT_EQ(c.process->rlimits[0].hard, UINT64_MAX);
  EXPECT_EQ(
      parse_error(with_process(
          R"("rlimits": [{"type": "RLIMIT_CORE", "hard": 18446744073709551616, "soft": 0}])")),
      "config.json: /process/rlimits/0/hard: expected an unsigned 64-bit integer");
  EXPECT_EQ(
      parse_error(with_process(R"("rlimits": [{"type": "RLIMIT_CORE", "hard": 1, "soft": -1}])")),
      "config.json: /process/rlimits/0/soft: expected an unsigned 64-bit integer");
}

TEST(Parse, SignedRangeChecks) {
  EXPECT_EQ(parse_config(with_process(R"("oomScoreAdj": -2147483648)")).process->oomScoreAdj,
            INT32_MIN);
  EXPECT_EQ(parse_config(with_process(R"("oomScoreAdj": 2147483647)")).process->oomScoreAdj,
            INT32_MAX);
  EXPECT_EQ(parse_error(with_process(R"("oomScoreAdj": 2147483648)")),
            "config.json: /process/oomScoreAdj: expected a 32-bit integer");
  EXPECT_EQ(parse_error(with_process(R"("oomScoreAdj": -2147483649)")),
            "config.json: /process/oomScoreAdj: expected a 32-bit integer");
  EXPECT_EQ(parse_error(with_process(R"("oomScoreAdj": true)")),
            "config.json: /process/oomScoreAdj: expected a 32-bit integer");
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"memory": {"limit": 9223372036854775808}})")),
            "config.json: /linux/resources/memory/limit: expected a 64-bit integer");
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"blockIO": {"weight": 65536}})")),
            "config.json: /linux/resources/blockIO/weight: expected an unsigned 16-bit integer");
}

TEST(Parse, NullIsAbsent) {
  Config c = parse_config(doc(R"("process": null, "hostname": null, "linux": {"seccomp": null})"));
  EXPECT_FALSE(c.process);
  EXPECT_EQ(c.hostname, "");
  ASSERT_TRUE(c.linux);
  EXPECT_FALSE(c.linux->seccomp);
}

TEST(Parse, HostnameDomainnameAnnotations) {
  Config c = parse_config(
      doc(R"("hostname": "h", "domainname": "d", "annotations": {"a": "1", "b/c": "2"})"));
  EXPECT_EQ(c.hostname, "h");
  EXPECT_EQ(c.domainname, "d");
  EXPECT_EQ(c.annotations, (std::map<std::string, std::string>{{"a", "1"}, {"b/c", "2"}}));
  EXPECT_EQ(parse_error(doc(R"("annotations": {"b/c": 2})")),
            "config.json: /annotations/b~1c: expected a string");
  EXPECT_EQ(parse_error(doc(R"("annotations": ["x"])")),
            "config.json: /annotations: expected an object");
  EXPECT_EQ(parse_error(doc(R"("hostname": 5)")), "config.json: /hostname: expected a string");
}

TEST(Parse, AllSixHookKinds) {
  Config c = parse_config(doc(R"("hooks": {
      "prestart": [{"path": "/bin/a", "args": ["a", "1"], "env": ["X=1"], "timeout": 5}],
      "createRuntime": [{"path": "/bin/b"}],
      "createContainer": [{"path": "/bin/c"}],
      "startContainer": [{"path": "/bin/d"}],
      "poststart": [{"path": "/bin/e"}],
      "poststop": [{"path": "/bin/f"}, {"path": "/bin/g"}]})"));
  ASSERT_TRUE(c.hooks);
  const Hooks& h = *c.hooks;
  ASSERT_EQ(h.prestart.size(), 1u);
  EXPECT_EQ(h.prestart[0].path, "/bin/a");
  EXPECT_EQ(h.prestart[0].args, (std::vector<std::string>{"a", "1"}));
  EXPECT_EQ(h.prestart[0].env, std::vector<std::string>{"X=1"});
  EXPECT_EQ(h.prestart[0].timeout, 5);
  EXPECT_EQ(h.createRuntime.at(0).path, "/bin/b");
  EXPECT_FALSE(h.createRuntime.at(0).timeout);
  EXPECT_EQ(h.createContainer.at(0).path, "/bin/c");
  EXPECT_EQ(h.startContainer.at(0).path, "/bin/d");
  EXPECT_EQ(h.poststart.at(0).path, "/bin/e");
  EXPECT_EQ(h.poststop.size(), 2u);

  EXPECT_EQ(parse_error(doc(R"("hooks": {"poststop": [{"args": []}]})")),
            "config.json: /hooks/poststop/0/path: missing required field");
  EXPECT_EQ(parse_error(doc(R"("hooks": {"prestart": [{"path": "/x", "timeout": "5"}]})")),
            "config.json: /hooks/prestart/0/timeout: expected a 32-bit integer");
}

TEST(Parse, Namespaces) {
  Config c = parse_config(
      with_linux(R"("namespaces": [{"type": "pid"}, {"type": "network", "path": "/run/netns/x"},
      {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}, {"type": "user"}, {"type": "cgroup"}, {"type": "time"}])"));
  ASSERT_EQ(c.linux->namespaces.size(), 8u);
  EXPECT_EQ(c.linux->namespaces[1].type, NamespaceType::network);
  EXPECT_EQ(c.linux->namespaces[1].path, "/run/netns/x");
  EXPECT_EQ(c.linux->namespaces[7].type, NamespaceType::time);
  ASSERT_NE(c.linux->find_namespace(NamespaceType::cgroup), nullptr);

  EXPECT_EQ(parse_error(
                with_linux(R"("namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "foo"}])")),
            "config.json: /linux/namespaces/2/type: unknown namespace type \"foo\"");
  EXPECT_EQ(parse_error(with_linux(R"("namespaces": [{"path": "/x"}])")),
            "config.json: /linux/namespaces/0/type: missing required field");
}

TEST(Parse, IdMappingsAndTimeOffsets) {
  Config c = parse_config(with_linux(R"(
      "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
      "gidMappings": [{"containerID": 1, "hostID": 200000, "size": 10}],
      "timeOffsets": {"monotonic": {"secs": -100, "nanosecs": 5}, "boottime": {"secs": 7}})"));
  ASSERT_EQ(c.linux->uidMappings.size(), 1u);
  EXPECT_EQ(c.linux->uidMappings[0].hostID, 100000u);
  EXPECT_EQ(c.linux->uidMappings[0].size, 65536u);
  EXPECT_EQ(c.linux->gidMappings[0].containerID, 1u);
  EXPECT_EQ(c.linux->timeOffsets.at("monotonic").secs, -100);
  EXPECT_EQ(c.linux->timeOffsets.at("monotonic").nanosecs, 5u);
  EXPECT_EQ(c.linux->timeOffsets.at("boottime").secs, 7);

  EXPECT_EQ(parse_error(with_linux(R"("uidMappings": [{"hostID": 0, "size": 1}])")),
            "config.json: /linux/uidMappings/0/containerID: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("gidMappings": [{"containerID": 0, "hostID": 0}])")),
            "config.json: /linux/gidMappings/0/size: missing required field");
  EXPECT_EQ(
      parse_error(with_linux(R"("timeOffsets": {"boottime": {"nanosecs": -1}})")),
      "config.json: /linux/timeOffsets/boottime/nanosecs: expected an unsigned 32-bit integer");
}

TEST(Parse, Devices) {
  Config c = parse_config(with_linux(R"("devices": [
      {"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
      {"type": "p", "path": "/dev/fifo"}])"));
  ASSERT_EQ(c.linux->devices.size(), 2u);
  EXPECT_EQ(c.linux->devices[0].major, 10);
  EXPECT_EQ(c.linux->devices[0].minor, 229);
  EXPECT_EQ(c.linux->devices[0].fileMode, 438u);
  EXPECT_EQ(c.linux->devices[0].uid, 0u);
  EXPECT_FALSE(c.linux->devices[1].fileMode);

  EXPECT_EQ(parse_error(with_linux(R"("devices": [{"path": "/dev/x"}])")),
            "config.json: /linux/devices/0/type: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("devices": [{"type": "c"}])")),
            "config.json: /linux/devices/0/path: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("devices": [{"type": "b", "path": "/dev/x", "minor": 1}])")),
            "config.json: /linux/devices/0/major: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("devices": [{"type": "u", "path": "/dev/x", "major": 1}])")),
            "config.json: /linux/devices/0/minor: missing required field");
}

TEST(Parse, ResourcesAllSections) {
  Config c = parse_config(with_linux(R"("cgroupsPath": "/mini/c1", "resources": {
      "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}],
      "memory": {"limit": 1000, "reservation": 500, "swap": -1, "kernel": 1, "kernelTCP": 2, "swappiness": 60,
                 "disableOOMKiller": true, "useHierarchy": false, "checkBeforeUpdate": true},
      "cpu": {"shares": 1024, "quota": 50000, "burst": 10, "period": 100000, "realtimeRuntime": 5,
              "realtimePeriod": 6, "cpus": "0-1", "mems": "0", "idle": 1},
      "pids": {"limit": 64},
      "blockIO": {"weight": 500, "leafWeight": 300,
                  "weightDevice": [{"major": 8, "minor": 0, "weight": 100}],
                  "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
                  "throttleWriteBpsDevice": [{"major": 8, "minor": 1, "rate": 2}],
                  "throttleReadIOPSDevice": [{"major": 8, "minor": 2, "rate": 3}],
                  "throttleWriteIOPSDevice": [{"major": 8, "minor": 3, "rate": 4}]},
      "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
      "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
      "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
      "unified": {"memory.high": "max", "io.weight": "default 100"}})"));
  ASSERT_TRUE(c.linux->cgroupsPath);
  EXPECT_EQ(*c.linux->cgroupsPath, "/mini/c1");
  ASSERT_TRUE(c.linux->resources);
  const Resources& r = *c.linux->resources;
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_FALSE(r.devices[0].allow);
  EXPECT_EQ(r.devices[0].type, "");
  EXPECT_FALSE(r.devices[0].major);
  EXPECT_EQ(r.devices[1].major, 1);
  EXPECT_EQ(r.devices[1].access, "rw");
  ASSERT_TRUE(r.memory);
  EXPECT_EQ(r.memory->limit, 1000);
  EXPECT_EQ(r.memory->swap, -1);
  EXPECT_EQ(r.memory->kernelTCP, 2);
  EXPECT_EQ(r.memory->swappiness, 60u);
  EXPECT_EQ(r.memory->disableOOMKiller, true);
  EXPECT_EQ(r.memory->useHierarchy, false);
  EXPECT_EQ(r.memory->checkBeforeUpdate, true);
  ASSERT_TRUE(r.cpu);
  EXPECT_EQ(r.cpu->shares, 1024u);
  EXPECT_EQ(r.cpu->quota, 50000);
  EXPECT_EQ(r.cpu->burst, 10u);
  EXPECT_EQ(r.cpu->period, 100000u);
  EXPECT_EQ(r.cpu->realtimeRuntime, 5);
  EXPECT_EQ(r.cpu->realtimePeriod, 6u);
  EXPECT_EQ(r.cpu->cpus, "0-1");
  EXPECT_EQ(r.cpu->mems, "0");
  EXPECT_EQ(r.cpu->idle, 1);
  EXPECT_EQ(r.pidsLimit, 64);
  ASSERT_TRUE(r.blockIO);
  EXPECT_EQ(r.blockIO->weight, 500);
  EXPECT_EQ(r.blockIO->leafWeight, 300);
  EXPECT_EQ(r.blockIO->weightDevice.at(0).weight, 100);
  EXPECT_FALSE(r.blockIO->weightDevice.at(0).leafWeight);
  EXPECT_EQ(r.blockIO->throttleReadBpsDevice.at(0).rate, 1048576u);
  EXPECT_EQ(r.blockIO->throttleWriteBpsDevice.at(0).minor, 1);
  EXPECT_EQ(r.blockIO->throttleReadIOPSDevice.at(0).rate, 3u);
  EXPECT_EQ(r.blockIO->throttleWriteIOPSDevice.at(0).rate, 4u);
  ASSERT_EQ(r.hugepageLimits.size(), 1u);
  EXPECT_EQ(r.hugepageLimits[0].pageSize, "2MB");
  EXPECT_EQ(r.hugepageLimits[0].limit, 209715200u);
  ASSERT_TRUE(r.network);
  EXPECT_EQ(r.network->classID, 1048577u);
  EXPECT_EQ(r.network->priorities.at(0).name, "eth0");
  EXPECT_EQ(r.network->priorities.at(0).priority, 500u);
  EXPECT_EQ(r.rdma.at("mlx5_1").hcaHandles, 3u);
  EXPECT_EQ(r.rdma.at("mlx5_1").hcaObjects, 10000u);
  EXPECT_EQ(r.unified.at("io.weight"), "default 100");
}

TEST(Parse, ResourceErrors) {
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"devices": [{"access": "rwm"}]})")),
            "config.json: /linux/resources/devices/0/allow: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"hugepageLimits": [{"limit": 1}]})")),
            "config.json: /linux/resources/hugepageLimits/0/pageSize: missing required field");
  EXPECT_EQ(
      parse_error(with_linux(
          R"("resources": {"blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0}]}})")),
      "config.json: /linux/resources/blockIO/throttleReadBpsDevice/0/rate: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"pids": {"limit": "10"}})")),
            "config.json: /linux/resources/pids/limit: expected a 64-bit integer");
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"unified": {"cpu.max": 5}})")),
            "config.json: /linux/resources/unified/cpu.max: expected a string");
  EXPECT_EQ(parse_error(with_linux(R"("resources": {"cpu": {"shares": -2}})")),
            "config.json: /linux/resources/cpu/shares: expected an unsigned 64-bit integer");
  EXPECT_EQ(parse_error(with_linux(R"("cgroupsPath": 3)")),
            "config.json: /linux/cgroupsPath: expected a string");
}

TEST(Parse, Seccomp) {
  Config c = parse_config(with_linux(R"("seccomp": {
      "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "flags": ["SECCOMP_FILTER_FLAG_LOG"],
      "listenerPath": "/run/seccomp.sock", "listenerMetadata": "meta",
      "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
                    "args": [{"index": 0, "value": 8, "valueTwo": 9, "op": "SCMP_CMP_EQ"}]}]})"));
  ASSERT_TRUE(c.linux->seccomp);
  const Seccomp& s = *c.linux->seccomp;
  EXPECT_EQ(s.defaultAction, "SCMP_ACT_ERRNO");
  EXPECT_EQ(s.defaultErrnoRet, 1u);
  EXPECT_EQ(s.architectures.size(), 2u);
  EXPECT_EQ(s.flags, std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"});
  EXPECT_EQ(s.listenerPath, "/run/seccomp.sock");
  EXPECT_EQ(s.listenerMetadata, "meta");
  ASSERT_EQ(s.syscalls.size(), 2u);
  EXPECT_EQ(s.syscalls[0].names, (std::vector<std::string>{"read", "write"}));
  EXPECT_FALSE(s.syscalls[0].errnoRet);
  EXPECT_EQ(s.syscalls[1].errnoRet, 38u);
  ASSERT_EQ(s.syscalls[1].args.size(), 1u);
  EXPECT_EQ(s.syscalls[1].args[0].value, 8u);
  EXPECT_EQ(s.syscalls[1].args[0].valueTwo, 9u);
  EXPECT_EQ(s.syscalls[1].args[0].op, "SCMP_CMP_EQ");

  EXPECT_EQ(parse_error(with_linux(R"("seccomp": {"architectures": []})")),
            "config.json: /linux/seccomp/defaultAction: missing required field");
  EXPECT_EQ(
      parse_error(with_linux(
          R"("seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ALLOW"}]})")),
      "config.json: /linux/seccomp/syscalls/0/names: missing required field");
  EXPECT_EQ(
      parse_error(with_linux(
          R"("seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"]}]})")),
      "config.json: /linux/seccomp/syscalls/0/action: missing required field");
  EXPECT_EQ(
      parse_error(with_linux(
          R"("seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1}]}]})")),
      "config.json: /linux/seccomp/syscalls/0/args/0/op: missing required field");
}

TEST(Parse, OtherLinuxFields) {
  Config c = parse_config(with_linux(R"(
      "rootfsPropagation": "rslave",
      "sysctl": {"net.ipv4.ip_forward": "1", "kernel/shmmax": "100"},
      "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"],
      "mountLabel": "system_u:object_r:container_file_t:s0",
      "personality": {"domain": "LINUX32", "flags": []},
      "netDevices": {"eth1": {"name": "ceth1"}, "eth2": {}})"));
  const Linux& l = *c.linux;
  EXPECT_EQ(l.rootfsPropagation, "rslave");
  EXPECT_EQ(l.sysctl.at("kernel/shmmax"), "100");
  EXPECT_EQ(l.sysctl.size(), 2u);
  EXPECT_EQ(l.maskedPaths, std::vector<std::string>{"/proc/kcore"});
  EXPECT_EQ(l.readonlyPaths, std::vector<std::string>{"/proc/sys"});
  EXPECT_EQ(l.mountLabel, "system_u:object_r:container_file_t:s0");
  ASSERT_TRUE(l.personality);
  EXPECT_EQ(l.personality->domain, "LINUX32");
  EXPECT_EQ(l.netDevices.at("eth1").name, "ceth1");
  EXPECT_EQ(l.netDevices.at("eth2").name, "");

  EXPECT_EQ(parse_error(with_linux(R"("sysctl": {"net/ipv4/ip_forward": 1})")),
            "config.json: /linux/sysctl/net~1ipv4~1ip_forward: expected a string");
  EXPECT_EQ(parse_error(with_linux(R"("personality": {"flags": []})")),
            "config.json: /linux/personality/domain: missing required field");
  EXPECT_EQ(parse_error(with_linux(R"("netDevices": {"eth1": {"name": 1}})")),
            "config.json: /linux/netDevices/eth1/name: expected a string");
  EXPECT_EQ(parse_error(with_linux(R"("netDevices": ["eth1"])")),
            "config.json: /linux/netDevices: expected an object");
  EXPECT_EQ(parse_error(doc(R"("linux": 1)")), "config.json: /linux: expected an object");
}

class LoadConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("minirun-spec-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(LoadConfig, ReadsAndParsesAFile) {
  auto path = dir_ / "config.json";
  std::ofstream(path) << doc(R"("hostname": "fromfile")");
  EXPECT_EQ(load_config(path.string()).hostname, "fromfile");
}

TEST_F(LoadConfig, MissingFileIsAOneLineError) {
  auto path = (dir_ / "absent.json").string();
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "config.json: cannot read " + path + ": No such file or directory");
    EXPECT_EQ(e.pointer(), "");
  }
}

// A hostile bundle's config.json: refused at once, never opened (a FIFO would block the open,
// a device could do anything), in one line naming the file.
TEST_F(LoadConfig, AnythingButARegularFileIsRefusedWithoutBlocking) {
  auto fifo = (dir_ / "fifo.json").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto link = (dir_ / "link.json").string();
  std::filesystem::create_symlink("/dev/zero", link);
  for (auto [path, kind] : {std::pair{dir_.string(), "a directory"},
                            {fifo, "a FIFO"},
                            {std::string("/dev/null"), "a character device"},
                            {link, "a character device"}}) {
    try {
      load_config(path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()),
                "config.json: " + path + " is " + kind + ", not a regular file");
    }
  }
}

// A symlink to a regular file is followed, as runc follows it.
TEST_F(LoadConfig, ASymlinkToARegularFileIsRead) {
  auto path = dir_ / "real.json";
  std::ofstream(path) << doc(R"("hostname": "linked")");
  std::filesystem::create_symlink(path, dir_ / "config.json");
  EXPECT_EQ(load_config((dir_ / "config.json").string()).hostname, "linked");
}

TEST_F(LoadConfig, BadContentIsReported) {
  auto path = dir_ / "config.json";
  std::ofstream(path) << R"({"ociVersion": "1.0.0", "process": {"args": [1], "cwd": "/"}})";
  try {
    load_config(path.string());
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "config.json: /process/args/0: expected a string");
  }
}

}  // namespace
}  // namespace minirun::spec
