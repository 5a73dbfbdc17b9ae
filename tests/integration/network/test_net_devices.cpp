// linux.netDevices through the binary: host interfaces (one end of a veth pair: this VM has no
// dummy driver) moved into the container, renamed, with MTU, MAC and permanent global
// addresses kept, set up; every refusal moves nothing; `events --stats` counts their traffic.
// runc 1.1.5 predates the field and ignores it: tests that only make sense with the move run
// under minirun alone (MINIRUN_SKIP_UNLESS_MINIRUN), the refusals of bad names are runc's too.
#include <unistd.h>

#include <regex>
#include <thread>

#include "harness.hpp"

namespace minirun::itest {
namespace {

using nlohmann::json;

class NetDevices : public LeakCheck {};

// "nd<pid><tag>": unique to this test process, at most 15 bytes for tags of up to 5.
std::string ifname(const std::string& tag) {
  return "nd" + std::to_string(getpid()) + tag;
}

bool link_exists(const std::string& name) {
  return run_process({"ip", "link", "show", "dev", name}).exit_code == 0;
}

// A veth pair made on the host: `moved` is the end a test hands to the container, `peer`
// stays. Deleting either end deletes both, so the destructor tries both names.
class VethPair {
 public:
  explicit VethPair(const std::string& tag) : moved_(ifname(tag)), peer_(ifname(tag + "p")) {
    RunResult r =
        run_process({"ip", "link", "add", "name", moved_, "type", "veth", "peer", "name", peer_});
    ok_ = r.exit_code == 0;
    if (!ok_) error_ = r.err;
    ip({"link", "set", peer_, "up"});
  }
  ~VethPair() {
    if (!ok_) return;
    if (link_exists(peer_)) run_process({"ip", "link", "del", peer_});
    if (link_exists(moved_)) run_process({"ip", "link", "del", moved_});
  }
  VethPair(const VethPair&) = delete;
  VethPair& operator=(const VethPair&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  const std::string& moved() const { return moved_; }
  const std::string& peer() const { return peer_; }
  // `ip ARGS...` on the host; asserts nothing, returns the result.
  static RunResult ip(std::vector<std::string> args) {
    args.insert(args.begin(), "ip");
    return run_process(args);
  }

 private:
  std::string moved_, peer_, error_;
  bool ok_ = false;
};

#define ASSERT_VETH(v) ASSERT_TRUE((v).ok()) << (v).error()

void move_device(Bundle& bundle, const std::string& host_name, const std::string& name = "") {
  json device = json::object();
  if (!name.empty()) device["name"] = name;
  bundle.config["linux"]["netDevices"][host_name] = device;
}

void join_netns(Bundle& bundle, const std::string& path) {
  for (auto& ns : bundle.config["linux"]["namespaces"])
    if (ns["type"] == "network") ns["path"] = path;
}

// Refused before anything exists: exit 1, nothing on stdout, no state left, and with minirun
// one line that contains `words`.
void expect_refused(const RunResult& r, const std::string& words) {
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_TRUE(std::filesystem::is_empty(state_root())) << "state left in " << state_root();
  if (is_minirun()) {
    EXPECT_EQ(r.err_lines().size(), 1u) << r;
    EXPECT_TRUE(contains(r.err, words)) << "expected: " << words << "\n" << r;
  }
}

// --- moving ----------------------------------------------------------------------------------

TEST_F(NetDevices, MovedRenamedAndUp) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("mv");
  ASSERT_VETH(veth);
  Bundle bundle({"ip", "link", "show", "eth1"});
  move_device(bundle, veth.moved(), "eth1");
  RunResult r = run_container(bundle, {}, {});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(": eth1@[^:]*: <[^>]*\\bUP\\b"))) << r;
  EXPECT_FALSE(link_exists(veth.moved())) << "the device left the host";
}

TEST_F(NetDevices, KeepsItsHostNameWithoutName) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("kp");
  ASSERT_VETH(veth);
  Bundle bundle({"ip", "link", "show", veth.moved()});
  move_device(bundle, veth.moved());
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, ": " + veth.moved() + "@")) << r;
}

TEST_F(NetDevices, TemplateNameIsFilledByTheKernel) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair a("ta"), b("tb");
  ASSERT_VETH(a);
  ASSERT_VETH(b);
  Bundle bundle({"ip", "-o", "link"});
  move_device(bundle, a.moved(), "net%d");
  move_device(bundle, b.moved(), "net%d");
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, ": net0@")) << r;
  EXPECT_TRUE(contains(r.out, ": net1@")) << r;
}

TEST_F(NetDevices, AddressesMtuAndMacAreKept) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("ad");
  ASSERT_VETH(veth);
  const std::string dev = veth.moved();
  for (std::vector<std::string> cmd :
       {std::vector<std::string>{"link", "set", dev, "mtu", "1400"},
        {"link", "set", dev, "address", "02:00:5e:10:20:30"},
        {"link", "set", dev, "up"},
        {"addr", "add", "10.251.7.2/24", "dev", dev},
        {"addr", "add", "2001:db8:7::2/64", "dev", dev, "nodad"},
        {"addr", "add", "fe80::dead:7/64", "dev", dev},                   // link-local
        {"addr", "add", "10.252.7.2/24", "dev", dev, "scope", "link"},    // link scope
        {"addr", "add", "10.253.7.2/24", "dev", dev, "valid_lft", "300",  // dynamic
         "preferred_lft", "300"}})
    ASSERT_EQ(VethPair::ip(cmd).exit_code, 0) << VethPair::ip(cmd);
  Bundle bundle({"sh", "-c", "ip link show eth7; ip addr show eth7"});
  move_device(bundle, dev, "eth7");
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "mtu 1400")) << r;
  EXPECT_TRUE(contains(r.out, "link/ether 02:00:5e:10:20:30")) << r;
  EXPECT_TRUE(contains(r.out, "inet 10.251.7.2/24")) << r;
  EXPECT_TRUE(contains(r.out, "inet6 2001:db8:7::2/64")) << r;
  EXPECT_FALSE(contains(r.out, "fe80::dead:7")) << "link-local addresses stay behind" << r;
  EXPECT_FALSE(contains(r.out, "10.252.7.2")) << "link-scope addresses stay behind" << r;
  EXPECT_FALSE(contains(r.out, "10.253.7.2")) << "dynamic addresses stay behind" << r;
}

TEST_F(NetDevices, IntoANetnsJoinedByPathAndLeftThere) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("jn");
  ASSERT_VETH(veth);
  NamedNetns ns("nd");
  ASSERT_TRUE(ns.ok()) << ns.error();
  Bundle bundle({"ip", "link", "show", "eth2"});
  join_netns(bundle, ns.path());
  move_device(bundle, veth.moved(), "eth2");
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  // Not moved back (runtime-spec: MUST NOT): the pod sandbox's netns keeps it.
  RunResult after = ns.exec({"ip", "link", "show", "eth2"});
  EXPECT_EQ(after.exit_code, 0) << after;
  EXPECT_FALSE(link_exists(veth.moved()));
}

TEST_F(NetDevices, InsideAUserNamespace) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("us");
  ASSERT_VETH(veth);
  ASSERT_EQ(VethPair::ip({"addr", "add", "10.251.8.2/24", "dev", veth.moved()}).exit_code, 0);
  Bundle bundle({"ip", "addr", "show", "eth3"});
  bundle.config["linux"]["namespaces"].push_back({{"type", "user"}});
  const json map = {{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}};
  bundle.config["linux"]["uidMappings"] = map;
  bundle.config["linux"]["gidMappings"] = map;
  move_device(bundle, veth.moved(), "eth3");
  RunResult r = run_container(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "inet 10.251.8.2/24")) << r;
}

TEST_F(NetDevices, CreateMovesStartRuns) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("cs");
  ASSERT_VETH(veth);
  Bundle bundle({"ip", "link", "show", "eth4"});
  move_device(bundle, veth.moved(), "eth4");
  bundle.write();
  RunOptions to_file;
  to_file.output_file = (test_dir() / "create.out").string();
  RunResult created =
      run_runtime({"create", "--bundle", bundle.dir().string(), bundle.id}, to_file);
  ASSERT_EQ(created.exit_code, 0) << created;
  delete_at_end(bundle.id);
  // Moved at create: the created container's netns has it, the host no longer does.
  EXPECT_FALSE(link_exists(veth.moved()));
  const std::string pid = std::to_string(container_state(bundle.id)["pid"].get<int>());
  RunResult inside =
      run_process({"nsenter", "--net=/proc/" + pid + "/ns/net", "ip", "link", "show", "eth4"});
  EXPECT_EQ(inside.exit_code, 0) << inside;
  RunResult started = run_runtime({"start", bundle.id});
  ASSERT_EQ(started.exit_code, 0) << started;
  EXPECT_TRUE(wait_for_status(bundle.id, "stopped"));
  EXPECT_TRUE(contains(read_file(to_file.output_file), ": eth4@"))
      << read_file(to_file.output_file);
}

TEST_F(NetDevices, VirtualDeviceIsGoneAfterDelete) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("gd");
  ASSERT_VETH(veth);
  Bundle bundle({"sleep", "30"});
  move_device(bundle, veth.moved(), "eth5");
  RunResult r = run_detached(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(link_exists(veth.peer())) << "the host end stays while the container runs";
  RunResult deleted = run_runtime({"delete", "--force", bundle.id});
  ASSERT_EQ(deleted.exit_code, 0) << deleted;
  // The namespace is freed by a kernel worker shortly after its last process: poll.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !link_exists(veth.peer()) && !link_exists(veth.moved());
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(gone) << "a veth dies with the namespace, and its host peer with it";
}

TEST_F(NetDevices, DebugTracesTheMove) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("tr");
  ASSERT_VETH(veth);
  Bundle bundle({"true"});
  move_device(bundle, veth.moved(), "eth6");
  bundle.write();
  RunResult r = run_runtime({"--debug", "run", "--bundle", bundle.dir().string(), bundle.id});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.err, "network devices moved beside init")) << r;
  EXPECT_TRUE(contains(r.err, "network device " + veth.moved() + " -> eth6")) << r;
}

// --- refusals: nothing moves -------------------------------------------------------------------

TEST_F(NetDevices, NameTakenInTheJoinedNetnsIsRefusedAndNothingMoves) {
  VethPair a("ca"), b("cb");
  ASSERT_VETH(a);
  ASSERT_VETH(b);
  NamedNetns ns("clash");
  ASSERT_TRUE(ns.ok()) << ns.error();
  ASSERT_EQ(
      ns.exec({"ip", "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"}).exit_code, 0);
  Bundle bundle({"echo", "should not run"});
  join_netns(bundle, ns.path());
  move_device(bundle, a.moved(), "aaa" + std::to_string(getpid()));  // sorts first: free
  move_device(bundle, b.moved(), "eth1");                            // taken
  RunResult r = run_container(bundle);
  if (!is_minirun()) GTEST_SKIP() << "runc 1.1.5 ignores netDevices: " << r.exit_code;
  expect_refused(r, "/linux/netDevices/" + b.moved() +
                        ": network device name \"eth1\" is taken in the container's network "
                        "namespace");
  EXPECT_TRUE(link_exists(a.moved())) << "no device leaves the host when one cannot go";
  EXPECT_TRUE(link_exists(b.moved()));
}

TEST_F(NetDevices, MissingDeviceIsRefusedAndNothingMoves) {
  VethPair veth("ms");
  ASSERT_VETH(veth);
  Bundle bundle({"echo", "should not run"});
  move_device(bundle, veth.moved(), "eth1");
  move_device(bundle, ifname("none"), "eth2");
  RunResult r = run_container(bundle);
  if (!is_minirun()) GTEST_SKIP() << "runc 1.1.5 ignores netDevices: " << r.exit_code;
  expect_refused(r, "config.json: /linux/netDevices/" + ifname("none") + ": network device \"" +
                        ifname("none") + "\" does not exist in the runtime's network namespace");
  EXPECT_TRUE(link_exists(veth.moved())) << "the other device stays on the host";
}

TEST_F(NetDevices, LoIsTakenInEveryNewNetns) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("lo");
  ASSERT_VETH(veth);
  Bundle bundle({"echo", "should not run"});
  move_device(bundle, veth.moved(), "lo");
  RunResult r = run_container(bundle);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_TRUE(contains(r.err, "network device name \"lo\" is taken")) << r;
  EXPECT_TRUE(std::filesystem::is_empty(state_root()));
  EXPECT_TRUE(link_exists(veth.moved()));
}

TEST_F(NetDevices, WithoutANetnsIsRefused) {
  VethPair veth("nn");
  ASSERT_VETH(veth);
  Bundle bundle({"echo", "should not run"});
  bundle.remove_namespace("network");
  move_device(bundle, veth.moved(), "eth1");
  RunResult r = run_container(bundle);
  if (!is_minirun()) GTEST_SKIP() << "runc 1.1.5 ignores netDevices: " << r.exit_code;
  expect_refused(r, "unable to move network devices without a NET namespace");
  EXPECT_TRUE(link_exists(veth.moved()));
}

TEST_F(NetDevices, BadNamesAreRefused) {
  for (const std::string bad : {"a/b", "abcdefghijklmnop", "..", "x%s"}) {
    Bundle bundle({"echo", "should not run"});
    move_device(bundle, "lo", bad);
    RunResult r = run_container(bundle);
    if (!is_minirun()) GTEST_SKIP() << "runc 1.1.5 ignores netDevices: " << r.exit_code;
    expect_refused(r, "/linux/netDevices/lo/name: invalid network device name \"" + bad + "\"");
  }
}

// --- check and stats ---------------------------------------------------------------------------

TEST_F(NetDevices, CheckListsDevicesAddressesAndFate) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("ck");
  ASSERT_VETH(veth);
  ASSERT_EQ(VethPair::ip({"addr", "add", "10.251.9.2/24", "dev", veth.moved()}).exit_code, 0);
  Bundle bundle({"true"});
  move_device(bundle, veth.moved(), "eth9");
  bundle.write();
  RunResult r = run_runtime({"check", bundle.dir().string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(contains(r.out, "  " + veth.moved() + " -> eth9 (veth, mtu 1500")) << r;
  EXPECT_TRUE(contains(r.out, "addresses kept: 10.251.9.2/24")) << r;
  EXPECT_TRUE(contains(r.out, "when the namespace goes: veth: destroyed")) << r;
  EXPECT_TRUE(link_exists(veth.moved())) << "check moves nothing";
  RunResult j = run_runtime({"check", "--format", "json", bundle.dir().string()});
  ASSERT_EQ(j.exit_code, 0) << j;
  json report = json::parse(j.out);
  ASSERT_EQ(report["netDevices"].size(), 1u) << j;
  EXPECT_EQ(report["netDevices"][0]["name"], "eth9");
  EXPECT_EQ(report["netDevices"][0]["addresses"], json::array({"10.251.9.2/24"}));
}

// The counters of the container's eth interface, from `events --stats`.
json interface_stats(const std::string& id, const std::string& name) {
  RunResult r = run_runtime({"events", "--stats", id});
  if (r.exit_code != 0) return json{{"error", r.err}};
  json stats = json::parse(r.out);
  for (const auto& i : stats["data"]["network_interfaces"])
    if (i["Name"] == name) return i;
  return json{{"missing", r.out}};
}

TEST_F(NetDevices, StatsCountTheContainersTraffic) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("st");
  ASSERT_VETH(veth);
  ASSERT_EQ(VethPair::ip({"addr", "add", "10.251.10.1/24", "dev", veth.peer()}).exit_code, 0);
  ASSERT_EQ(VethPair::ip({"addr", "add", "10.251.10.2/24", "dev", veth.moved()}).exit_code, 0);
  Bundle bundle({"sleep", "30"});
  move_device(bundle, veth.moved(), "eth0");
  RunResult r = run_detached(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  delete_at_end(bundle.id);
  json before = interface_stats(bundle.id, "eth0");
  ASSERT_TRUE(before.contains("RxPackets")) << before;
  RunResult ping = run_process({"busybox", "ping", "-c", "3", "-W", "2", "10.251.10.2"});
  EXPECT_EQ(ping.exit_code, 0) << ping;
  json after = interface_stats(bundle.id, "eth0");
  ASSERT_TRUE(after.contains("RxPackets")) << after;
  EXPECT_GE(after["RxPackets"].get<uint64_t>(), before["RxPackets"].get<uint64_t>() + 3) << after;
  EXPECT_GE(after["TxPackets"].get<uint64_t>(), before["TxPackets"].get<uint64_t>() + 3) << after;
  EXPECT_GT(after["RxBytes"].get<uint64_t>(), before["RxBytes"].get<uint64_t>()) << after;
  for (const char* key : {"RxErrors", "RxDropped", "TxErrors", "TxDropped"})
    EXPECT_TRUE(after.contains(key)) << key;
  EXPECT_TRUE(interface_stats(bundle.id, "lo").contains("TxBytes")) << "lo is listed too";
}

// `events` without --stats streams the same counters every interval.
TEST_F(NetDevices, StreamedEventsCarryTheInterfaces) {
  MINIRUN_SKIP_UNLESS_MINIRUN();
  VethPair veth("se");
  ASSERT_VETH(veth);
  Bundle bundle({"sleep", "30"});
  move_device(bundle, veth.moved(), "eth0");
  RunResult r = run_detached(bundle);
  ASSERT_EQ(r.exit_code, 0) << r;
  delete_at_end(bundle.id);
  RunOptions briefly;
  briefly.timeout = std::chrono::milliseconds(700);
  RunResult events = run_runtime({"events", "--interval", "200ms", bundle.id}, briefly);
  const auto lines = events.out_lines();
  ASSERT_GE(lines.size(), 2u) << events;
  for (const auto& line : lines) {
    json event = json::parse(line);
    EXPECT_EQ(event["type"], "stats") << line;
    bool eth0 = false;
    for (const auto& i : event["data"]["network_interfaces"]) eth0 = eth0 || i["Name"] == "eth0";
    EXPECT_TRUE(eth0) << line;
  }
}

}  // namespace
}  // namespace minirun::itest
