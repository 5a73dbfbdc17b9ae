// Security issue 11, items 4 and 6, attacked through the real binary: files the runtime writes
// must not follow links someone planted (pid files, state.json, --log), and a hostile bundle or
// command line (a FIFO or a device for config.json, a process file, a hook or a namespace path;
// control characters in an ID; a state directory deleted under `list`) gets one clear line and
// exit 1, never a hang or a write elsewhere. Each test also runs against runc; where runc 1.1.5
// itself is vulnerable the minirun-only assertion says so.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <thread>

#include "harness.hpp"

namespace minirun::itest {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class SecurityFiles : public LeakCheck {
 protected:
  // A file the attacker wants overwritten, and the text it must keep.
  fs::path victim() {
    fs::path path = test_dir() / "victim";
    if (!fs::exists(path)) write_file(path, kSecret);
    return path;
  }
  static constexpr const char* kSecret = "do not touch\n";

  void start_sleeper(Bundle& bundle) {
    delete_at_end(bundle.id);
    RunResult r = run_detached(bundle);
    ASSERT_EQ(r.exit_code, 0) << r;
    ASSERT_TRUE(wait_for_status(bundle.id, "running"));
  }
};

std::vector<std::string> runtime_argv(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {runtime_binary(), "--root", state_root().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// Whether the process has exited within `limit`; it is left for Spawned::wait to reap.
bool exits_within(pid_t pid, milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  do {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid)
      return true;
    std::this_thread::sleep_for(milliseconds(10));
  } while (std::chrono::steady_clock::now() < give_up);
  return false;
}

// Runs a command that must refuse at once. One that hangs instead (runc on a FIFO) gets
// SIGTERM, which must stop it: nothing exists yet that would need the signal.
struct Refusal {
  RunResult result;
  bool hung = false;
};
Refusal run_expecting_refusal(const std::vector<std::string>& argv) {
  Spawned process(argv, Stdio::pipes);
  Refusal out;
  out.hung = !exits_within(process.pid(), milliseconds(3000));
  if (out.hung) kill(process.pid(), SIGTERM);
  out.result = process.wait(milliseconds(5000));
  return out;
}

// Text a terminal or a log reader would take for more than one line, or for an escape.
bool has_control_character(const std::string& text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  return false;
}

// --- item 4: files minirun writes ---------------------------------------------------------

// The attack of the issue: `run -d --pid-file D/pid` followed a planted D/pid.tmp and wrote the
// pid into its target. A symlink at D/pid itself is replaced, not followed.
TEST_F(SecurityFiles, PidFileIsNotWrittenThroughPlantedLinks) {
  Bundle bundle({"sleep", "60"});
  const fs::path dir = test_dir() / "pids";
  fs::create_directories(dir);
  fs::create_symlink(victim(), dir / "pid.tmp");
  fs::create_symlink(victim(), dir / "pid");
  delete_at_end(bundle.id);
  RunResult r = run_detached(bundle, {}, {"--pid-file", (dir / "pid").string()});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(read_file(victim()), kSecret) << "written through a planted link";
  EXPECT_FALSE(fs::is_symlink(dir / "pid"));
  EXPECT_EQ(trim(read_file(dir / "pid")),
            std::to_string(container_state(bundle.id)["pid"].get<int>()));
}

// The temp file is created O_EXCL (runc's ".<name>"): one planted there is a clash, an
// error, and the container does not stay.
TEST_F(SecurityFiles, PidFileTempNameTakenIsAnErrorNotAWrite) {
  Bundle bundle({"sleep", "60"});
  const fs::path dir = test_dir() / "pids";
  fs::create_directories(dir);
  fs::create_symlink(victim(), dir / ".pid");
  RunResult r = run_detached(bundle, {}, {"--pid-file", (dir / "pid").string()});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(read_file(victim()), kSecret) << "written through a planted link";
  EXPECT_FALSE(fs::exists(state_root() / bundle.id)) << r;
  if (is_minirun()) {
    // run -d's output, stderr too, is in r.out (see run_detached).
    EXPECT_TRUE(contains(r.out, "pid-file: create " + (dir / ".pid").string() + ": File exists"))
        << r;
  }
}

TEST_F(SecurityFiles, ExecPidFileIsNotWrittenThroughPlantedLinks) {
  Bundle bundle({"sleep", "60"});
  start_sleeper(bundle);
  const fs::path dir = test_dir() / "pids";
  fs::create_directories(dir);
  fs::create_symlink(victim(), dir / "exec.pid.tmp");
  RunResult r = run_runtime({"exec", "--pid-file", (dir / "exec.pid").string(), bundle.id, "true"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(read_file(victim()), kSecret) << "written through a planted link";
  EXPECT_FALSE(trim(read_file(dir / "exec.pid")).empty());
}

// `start` rewrites state.json; a link left beside it in the state directory is not followed.
TEST_F(SecurityFiles, StateJsonIsNotWrittenThroughAPlantedLink) {
  Bundle bundle({"sleep", "60"});
  bundle.write();
  delete_at_end(bundle.id);
  RunResult created = run_runtime({"create", "--bundle", bundle.dir().string(), bundle.id});
  ASSERT_EQ(created.exit_code, 0) << created;
  fs::create_symlink(victim(), state_root() / bundle.id / "state.json.tmp");
  RunResult started = run_runtime({"start", bundle.id});
  EXPECT_EQ(started.exit_code, 0) << started;
  EXPECT_EQ(read_file(victim()), kSecret) << "written through a planted link";
  EXPECT_EQ(container_status(bundle.id), "running");
}

// --log is appended to (containerd's shim makes the file), but a symlink, a FIFO or a device
// there is refused in one line; a FIFO used to hang the runtime.
TEST_F(SecurityFiles, LogIsAppendedOnlyToARegularFile) {
  const fs::path log = test_dir() / "log";
  write_file(log, "earlier line\n");
  RunResult r = run_runtime({"--log", log.string(), "state", "no-such-container"});
  EXPECT_EQ(r.exit_code, 1) << r;
  const std::string appended = read_file(log);
  EXPECT_EQ(appended.rfind("earlier line\n", 0), 0u) << appended;
  EXPECT_GT(split_lines(appended).size(), 1u) << appended;

  const fs::path link = test_dir() / "log.link";
  fs::create_symlink(victim(), link);
  RunResult linked = run_runtime({"--log", link.string(), "state", "no-such-container"});
  EXPECT_EQ(linked.exit_code, 1) << linked;
  // runc 1.1.5 opens --log with os.OpenFile and appends its line to the link's target.
  if (is_minirun()) {
    EXPECT_EQ(read_file(victim()), kSecret) << "written through a planted link";
    EXPECT_TRUE(contains(linked.err, "--log: refusing " + link.string() +
                                         ": it is a symbolic link, not a regular file"))
        << linked;
  }

  const fs::path fifo = test_dir() / "log.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // A reader, so that a runtime opening the FIFO for writing does not fail with ENXIO.
  int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  Refusal piped =
      run_expecting_refusal(runtime_argv({"--log", fifo.string(), "state", "no-such-container"}));
  char buf[512];
  const ssize_t got = read(reader, buf, sizeof buf);
  close(reader);
  if (is_minirun()) {
    EXPECT_FALSE(piped.hung) << piped.result;
    EXPECT_EQ(piped.result.exit_code, 1) << piped.result;
    EXPECT_LE(got, 0) << "wrote to the FIFO";
    EXPECT_TRUE(contains(piped.result.err, "it is a FIFO, not a regular file")) << piped.result;
  } else {
    EXPECT_NE(piped.result.exit_code, 0) << piped.result;
  }
}

// --- item 6: hostile bundle files and arguments -----------------------------------------------

// config.json as a FIFO, a directory, a device (through a symlink), and a namespace path that
// is a FIFO: one line naming the file and exit 1 at once, nothing left behind. minirun's run
// used to hang on each but the directory, deaf to SIGTERM (blocked from its start). runc 1.1.5
// hangs on config.json as a FIFO or a device, where SIGTERM stops it; on the namespace FIFO it
// hangs with its state and cgroups made and SIGTERM does not stop it, so that case is
// minirun's only.
TEST_F(SecurityFiles, BundleFilesThatAreNotRegularFilesAreRefusedAtOnce) {
  Bundle bundle({"true"});
  bundle.write();
  const std::string config = bundle.config_path().string();
  const std::string fifo = (test_dir() / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  struct Case {
    const char* what;
    std::function<void()> plant;
    std::string line;
  };
  const std::vector<Case> cases = {
      {"config.json is a FIFO", [&] { ASSERT_EQ(mkfifo(config.c_str(), 0600), 0); },
       config + " is a FIFO, not a regular file"},
      {"config.json is a directory", [&] { fs::create_directory(config); },
       config + " is a directory, not a regular file"},
      {"config.json is a device", [&] { fs::create_symlink("/dev/ptmx", config); },
       config + " is a character device, not a regular file"},
      {"a namespace path is a FIFO",
       [&] {
         for (auto& ns : bundle.config["linux"]["namespaces"])
           if (ns["type"] == "network") ns["path"] = fifo;
         bundle.write();
       },
       "join network namespace " + fifo + ": Invalid argument"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    if (&c == &cases.back() && !is_minirun()) break;
    fs::remove_all(config);
    c.plant();
    Refusal r =
        run_expecting_refusal(runtime_argv({"run", "--bundle", bundle.dir().string(), bundle.id}));
    EXPECT_FALSE(fs::exists(state_root() / bundle.id)) << r.result;
    if (r.hung) {
      EXPECT_FALSE(is_minirun()) << "hung; " << r.result;
      EXPECT_EQ(r.result.exit_code, 128 + SIGTERM) << "SIGTERM did not stop it; " << r.result;
      continue;
    }
    EXPECT_EQ(r.result.exit_code, 1) << r.result;
    if (is_minirun()) {
      EXPECT_EQ(r.result.err_lines().size(), 1u) << r.result;
      EXPECT_TRUE(contains(r.result.err, c.line)) << r.result;
    }
  }
}

TEST_F(SecurityFiles, ExecProcessFileThatIsNotARegularFileIsRefusedAtOnce) {
  Bundle bundle({"sleep", "60"});
  start_sleeper(bundle);
  const fs::path fifo = test_dir() / "process.json";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const fs::path& path : {fifo, test_dir(), fs::path("/dev/ptmx")}) {
    SCOPED_TRACE(path);
    Refusal r =
        run_expecting_refusal(runtime_argv({"exec", "--process", path.string(), bundle.id}));
    if (r.hung) {
      EXPECT_FALSE(is_minirun()) << "hung; " << r.result;
      EXPECT_EQ(r.result.exit_code, 128 + SIGTERM) << "SIGTERM did not stop it; " << r.result;
      continue;
    }
    EXPECT_NE(r.result.exit_code, 0) << r.result;
    if (is_minirun()) {
      EXPECT_EQ(r.result.exit_code, 255) << r.result;
      EXPECT_EQ(r.result.err_lines().size(), 1u) << r.result;
      EXPECT_TRUE(contains(r.result.err, "process file: " + path.string() + " is a")) << r.result;
    }
  }
}

// A hook that can never run (a FIFO, a directory, a device) is refused when the config is
// validated, before anything exists: the prestart hook ahead of it does not run. runc 1.1.5
// creates the container and fails only at the hook (exit 1), or for poststop warns and exits 0.
TEST_F(SecurityFiles, HookPathThatIsNotARegularFileIsRefusedBeforeAnythingIsCreated) {
  const fs::path fifo = test_dir() / "hook.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0700), 0);
  const fs::path marker = test_dir() / "prestart-ran";
  const fs::path prestart = test_dir() / "prestart.sh";
  write_script(prestart, "#!/bin/sh\ntouch " + shell_quote(marker.string()) + "\n");
  for (const char* kind : {"createRuntime", "poststop"}) {
    for (const fs::path& path : {fifo, test_dir(), fs::path("/dev/ptmx")}) {
      SCOPED_TRACE(std::string(kind) + " " + path.string());
      fs::remove(marker);
      Bundle bundle({"true"});
      bundle.config["hooks"] = {{"prestart", {{{"path", prestart.string()}}}},
                                {kind, {{{"path", path.string()}}}}};
      RunResult r = run_container(bundle);
      EXPECT_FALSE(fs::exists(state_root() / bundle.id)) << r;
      if (!is_minirun()) {
        if (std::string(kind) != "poststop") {
          EXPECT_EQ(r.exit_code, 1) << r;
        }
        continue;
      }
      EXPECT_EQ(r.exit_code, 1) << r;
      EXPECT_EQ(r.err_lines().size(), 1u) << r;
      EXPECT_TRUE(contains(r.err, "/hooks/" + std::string(kind) + "/0/path: hook path \"" +
                                      path.string() + "\" is a"))
          << r;
      EXPECT_FALSE(fs::exists(marker)) << "the container was set up before the refusal";
    }
  }
}

// SIGTERM or SIGINT while run reads its bundle (strace delivers it at the first syscall that
// names config.json) stops it there: run used to block the signals from its start, created
// the container anyway and ran it.
TEST_F(SecurityFiles, SigtermOrSigintStopsARunBeforeTheContainerExists) {
  if (access("/usr/bin/strace", X_OK) != 0) GTEST_SKIP() << "needs strace";
  for (int sig : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(strsignal(sig));
    Bundle bundle({"touch", "/ran"});
    bundle.config["root"]["readonly"] = false;
    bundle.write();
    std::vector<std::string> argv = {
        "strace",
        "-f",
        "-qq",
        "-o",
        "/dev/null",
        "-P",
        bundle.config_path().string(),
        "-e",
        std::string("inject=all:signal=") + sigabbrev_np(sig) + ":when=1"};
    auto rest = runtime_argv({"run", "--bundle", bundle.dir().string(), bundle.id});
    argv.insert(argv.end(), rest.begin(), rest.end());
    RunResult r = run_process(argv);
    EXPECT_EQ(r.exit_code, 128 + sig) << r;
    EXPECT_FALSE(fs::exists(bundle.rootfs() / "ran")) << "the container ran";
    EXPECT_FALSE(fs::exists(state_root() / bundle.id)) << r;
  }
}

// An ID with a newline, a terminal escape and a byte that is not UTF-8: every verb answers in
// one line without a raw control character, on stderr and in the text log; each JSON log line
// stays one valid JSON object (a non-UTF-8 byte used to abort minirun there).
TEST_F(SecurityFiles, ControlCharactersInAnIdStayOnOneLine) {
  Bundle bundle({"true"});
  bundle.write();
  const std::string id = "a\nb\x1b[31mc\xff";
  const std::string bundle_dir = bundle.dir().string();
  const std::vector<std::vector<std::string>> commands = {{"state", id},
                                                          {"start", id},
                                                          {"kill", id},
                                                          {"delete", "--force", id},
                                                          {"exec", id, "true"},
                                                          {"pause", id},
                                                          {"resume", id},
                                                          {"ps", id},
                                                          {"events", "--stats", id},
                                                          {"update", "--pids-limit", "10", id},
                                                          {"run", "--bundle", bundle_dir, id},
                                                          {"create", "--bundle", bundle_dir, id}};
  const fs::path text_log = test_dir() / "log.txt";
  const fs::path json_log = test_dir() / "log.json";
  for (const auto& command : commands) {
    SCOPED_TRACE(command[0]);
    for (const fs::path& log : {text_log, json_log}) {
      std::vector<std::string> args = {"--log", log.string(), "--log-format",
                                       log == json_log ? "json" : "text"};
      args.insert(args.end(), command.begin(), command.end());
      RunResult r = run_runtime(args);
      EXPECT_EQ(r.exit_code, command[0] == "exec" ? 255 : 1) << r;
      EXPECT_EQ(r.err_lines().size(), 1u) << r;
      EXPECT_FALSE(has_control_character(r.err)) << r;
      if (is_minirun()) {
        EXPECT_TRUE(contains(r.err, R"("a\nb\x1b[31mc\xff")")) << r;
      }
    }
  }
  const std::string text = read_file(text_log);
  EXPECT_FALSE(has_control_character(text)) << text;
  const std::string json = read_file(json_log);
  if (is_minirun()) {
    EXPECT_EQ(split_lines(text).size(), commands.size()) << text;
    EXPECT_EQ(split_lines(json).size(), commands.size()) << json;
  }
  for (const auto& line : split_lines(json)) {
    auto entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << line;
    EXPECT_EQ(entry["level"], "error") << line;
  }
  if (is_minirun()) {
    RunResult unknown = run_runtime({"no\nsuch\x1b[2Jverb"});
    EXPECT_EQ(unknown.exit_code, 1) << unknown;
    EXPECT_EQ(unknown.err_lines().size(), 1u) << unknown;
    EXPECT_FALSE(has_control_character(unknown.err)) << unknown;
  }
}

// A state directory deleted while `list` reads it is left out, not printed without an owner.
// To hit the window every time, state.json is a FIFO: list blocks reading it until this test
// has removed the directory and only then writes the state.
TEST_F(SecurityFiles, ListSkipsAStateDirectoryDeletedWhileItIsRead) {
  const std::string id = "vanishing";
  const fs::path dir = state_root() / id;
  fs::create_directories(dir);
  const fs::path state = dir / "state.json";
  ASSERT_EQ(mkfifo(state.c_str(), 0600), 0);
  Spawned list(runtime_argv({"list", "--format", "json"}), Stdio::pipes);
  int writer = -1;
  for (int i = 0; i < 500 && writer < 0; ++i) {
    writer = open(state.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);  // ENXIO until list reads
    if (writer < 0) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_GE(writer, 0) << "list never opened state.json; " << list.wait();
  fs::remove_all(dir);
  const std::string text = R"({"ociVersion":"1.0.2","id":")" + id +
                           R"(","pid":0,"status":"stopped","bundle":"/nonexistent",)"
                           R"("rootfs":"/nonexistent/rootfs","created":"2024-01-01T00:00:00Z"})";
  ASSERT_EQ(write(writer, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(writer);
  RunResult r = list.wait();
  EXPECT_EQ(r.exit_code, 0) << r;
  auto listed = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(listed.is_discarded()) << r;
  // runc 1.1.5 stats the directory before reading its state: it may show the row, with its
  // owner.
  for (const auto& row : listed.is_array() ? listed : nlohmann::json::array())
    EXPECT_NE(row.value("owner", ""), "") << row;
  if (is_minirun()) {
    EXPECT_EQ(listed, nlohmann::json::array()) << r;
  }
}

}  // namespace
}  // namespace minirun::itest
