#include <gtest/gtest.h>

#include <vector>

#include "cmd/argv_parser.hpp"

namespace minirun::cmd::argv {
namespace {

using Kind = ParseResult::Kind;

ParseResult parse(Parser& parser, std::vector<const char*> args) {
  return parser.parse(std::span<const char* const>(args.data(), args.size()));
}

// A verb like create/run: an ID and a mix of option kinds.
struct RunLike {
  std::string id, bundle, format = "table";
  bool detach = false, tty = false;
  int fds = 0;
  std::optional<int64_t> quota;
  std::optional<uint64_t> shares;
  std::optional<uint16_t> weight;
  std::vector<std::string> env;
  std::vector<uint32_t> gids;
  Parser parser{"minirun", "run", "create and start a container"};

  RunLike() {
    parser.positional("ID", id, "container ID").required();
    parser.option("-b,--bundle", bundle, "bundle directory");
    parser.option("-f,--format", format, "output format").one_of("table|json");
    parser.flag("-d,--detach", detach, "do not wait");
    parser.flag("-t,--tty", tty, "allocate a tty");
    parser.option("--preserve-fds", fds, "extra fds").non_negative();
    parser.option("--cpu-quota", quota, "quota");
    parser.option("--cpu-shares", shares, "shares");
    parser.option("--blkio-weight", weight, "weight");
    parser.list("-e,--env", env, "KEY=VALUE");
    parser.list("-g,--additional-gids", gids, "gid");
  }
  ParseResult operator()(std::vector<const char*> args) { return parse(parser, std::move(args)); }
};

TEST(ArgvParser, ValueForms) {
  for (std::vector<const char*> args : std::vector<std::vector<const char*>>{
           {"--bundle", "/b", "c1"},
           {"--bundle=/b", "c1"},
           {"-b", "/b", "c1"},
           {"-b/b", "c1"},
           {"-b=/b", "c1"},
           {"-bundle", "/b", "c1"},
           {"-bundle=/b", "c1"},
           {"--b", "/b", "c1"},
       }) {
    RunLike r;
    ParseResult result = r(args);
    EXPECT_TRUE(result.ok()) << args[0] << ": " << result.error;
    EXPECT_EQ(r.bundle, "/b") << args[0];
    EXPECT_EQ(r.id, "c1") << args[0];
  }
}

TEST(ArgvParser, EmptyValueAfterEqualsIsAValue) {
  RunLike r;
  r.bundle = "x";
  ASSERT_TRUE(r({"--bundle=", "c1"}).ok());
  EXPECT_EQ(r.bundle, "");
}

TEST(ArgvParser, ValueMayStartWithADash) {
  RunLike r;
  ASSERT_TRUE(r({"--cpu-quota", "-1", "c1"}).ok());
  EXPECT_EQ(r.quota, -1);
}

TEST(ArgvParser, LastValueWins) {
  RunLike r;
  ASSERT_TRUE(r({"-b", "one", "--bundle", "two", "c1"}).ok());
  EXPECT_EQ(r.bundle, "two");
}

TEST(ArgvParser, FlagForms) {
  RunLike a;
  ASSERT_TRUE(a({"--detach", "c1"}).ok());
  EXPECT_TRUE(a.detach);
  RunLike b;
  ASSERT_TRUE(b({"-d", "c1"}).ok());
  EXPECT_TRUE(b.detach);
  RunLike c;
  ASSERT_TRUE(c({"-dt", "c1"}).ok());
  EXPECT_TRUE(c.detach && c.tty);
  RunLike d;
  ASSERT_TRUE(d({"-detach", "c1"}).ok());
  EXPECT_TRUE(d.detach);
  for (const char* yes : {"--detach=true", "--detach=1", "--detach=t", "--detach=TRUE"}) {
    RunLike r;
    ASSERT_TRUE(r({yes, "c1"}).ok()) << yes;
    EXPECT_TRUE(r.detach) << yes;
  }
  for (const char* no : {"--detach=false", "--detach=0", "--detach=F", "-d=False"}) {
    RunLike r;
    r.detach = true;
    ASSERT_TRUE(r({no, "c1"}).ok()) << no;
    EXPECT_FALSE(r.detach) << no;
  }
}

TEST(ArgvParser, GroupedFlagsThenAValue) {
  RunLike r;
  ASSERT_TRUE(r({"-dtb/x", "c1"}).ok());
  EXPECT_TRUE(r.detach && r.tty);
  EXPECT_EQ(r.bundle, "/x");
  RunLike s;
  ASSERT_TRUE(s({"-db", "/y", "c1"}).ok());
  EXPECT_EQ(s.bundle, "/y");
}

TEST(ArgvParser, AttachedShortValueKeepsItsEquals) {
  RunLike r;
  ASSERT_TRUE(r({"-eFOO=bar", "-e=A=b", "--env", "C=d", "--env=E=f", "c1"}).ok());
  EXPECT_EQ(r.env, (std::vector<std::string>{"FOO=bar", "A=b", "C=d", "E=f"}));
}

TEST(ArgvParser, Numbers) {
  RunLike r;
  ASSERT_TRUE(r({"--preserve-fds", "2", "--cpu-shares=512", "--blkio-weight", "500", "-g", "10",
                 "-g", "20", "c1"})
                  .ok());
  EXPECT_EQ(r.fds, 2);
  EXPECT_EQ(r.shares, 512u);
  EXPECT_EQ(r.weight, 500);
  EXPECT_EQ(r.gids, (std::vector<uint32_t>{10, 20}));
  EXPECT_FALSE(r.quota);
}

TEST(ArgvParser, OptionsAndPositionalsInAnyOrder) {
  RunLike r;
  ASSERT_TRUE(r({"c1", "--detach", "-b", "/b"}).ok());
  EXPECT_EQ(r.id, "c1");
  EXPECT_TRUE(r.detach);
  EXPECT_EQ(r.bundle, "/b");
}

TEST(ArgvParser, DoubleDashEndsOptions) {
  RunLike r;
  ASSERT_TRUE(r({"--detach", "--", "-c1"}).ok());
  EXPECT_EQ(r.id, "-c1");
  RunLike s;
  ASSERT_TRUE(s({"-"}).ok()) << "a lone dash is an argument";
  EXPECT_EQ(s.id, "-");
}

TEST(ArgvParser, Help) {
  RunLike a;
  EXPECT_EQ(a({"--help"}).kind, Kind::help);
  RunLike b;
  EXPECT_EQ(b({"c1", "-h"}).kind, Kind::help) << "help wins over everything else";
  RunLike c;
  EXPECT_EQ(c({"--bogus", "-h"}).kind, Kind::error) << "an earlier error comes first";
  RunLike d;
  EXPECT_EQ(d({"--", "-h"}).kind, Kind::ok) << "after --, -h is the ID";
}

void expect_error(std::vector<const char*> args, const std::string& message) {
  RunLike r;
  ParseResult result = r(args);
  EXPECT_EQ(result.kind, Kind::error) << message;
  EXPECT_EQ(result.error, message);
}

TEST(ArgvParser, ErrorMessages) {
  expect_error({"--bogus", "c1"}, "unknown option \"--bogus\"");
  expect_error({"--bogus=1", "c1"}, "unknown option \"--bogus\"");
  expect_error({"-x", "c1"}, "unknown option \"-x\"");
  expect_error({"-dx", "c1"}, "unknown option \"-dx\"");
  expect_error({"c1", "--bundle"}, "option --bundle needs a value");
  expect_error({"c1", "-b"}, "option -b needs a value");
  expect_error({"c1", "-db"}, "option -b needs a value");
  expect_error({"--detach=maybe", "c1"}, "flag --detach: \"maybe\" is not true or false");
  expect_error({"--format", "xml", "c1"}, "option --format: \"xml\" is not one of table, json");
  expect_error({"--preserve-fds", "-1", "c1"},
               "option --preserve-fds: \"-1\" is not a non-negative number");
  expect_error({"--preserve-fds", "two", "c1"},
               "option --preserve-fds: \"two\" is not a valid number");
  expect_error({"--cpu-shares", "-5", "c1"}, "option --cpu-shares: \"-5\" is not a valid number");
  expect_error({"--blkio-weight", "70000", "c1"},
               "option --blkio-weight: \"70000\" is not a valid number");
  expect_error({"-g", "10x", "c1"}, "option -g: \"10x\" is not a valid number");
  expect_error({}, "missing argument ID");
  expect_error({"--detach"}, "missing argument ID");
  expect_error({"c1", "c2"}, "unexpected argument \"c2\"");
}

TEST(ArgvParser, OptionalPositional) {
  std::string id, signal = "SIGTERM";
  bool all = false;
  Parser kill("minirun", "kill", "send a signal");
  kill.positional("ID", id, "container ID").required();
  kill.positional("SIGNAL", signal, "signal");
  kill.flag("-a,--all", all, "all processes");
  ASSERT_TRUE(parse(kill, {"c1"}).ok());
  EXPECT_EQ(signal, "SIGTERM");
  ASSERT_TRUE(parse(kill, {"--all", "c1", "9"}).ok());
  EXPECT_EQ(id, "c1");
  EXPECT_EQ(signal, "9");
  EXPECT_TRUE(all);
}

// exec ID COMMAND...: everything after the ID is the command.
struct ExecLike {
  std::string id;
  bool tty = false;
  std::vector<std::string> command;
  Parser parser{"minirun", "exec", "run a process"};
  ExecLike() {
    parser.positional("ID", id, "container ID").required();
    parser.rest("COMMAND", command, "the command");
    parser.flag("-t,--tty", tty, "tty");
  }
  ParseResult operator()(std::vector<const char*> args) { return parse(parser, std::move(args)); }
};

TEST(ArgvParser, RestTakesDashArgumentsVerbatim) {
  ExecLike e;
  ASSERT_TRUE(e({"--tty", "c1", "ls", "-l", "--tty", "-h"}).ok());
  EXPECT_TRUE(e.tty);
  EXPECT_EQ(e.id, "c1");
  EXPECT_EQ(e.command, (std::vector<std::string>{"ls", "-l", "--tty", "-h"}));
  ExecLike f;
  ASSERT_TRUE(f({"c1", "--tty"}).ok());
  EXPECT_FALSE(f.tty) << "after the ID, --tty belongs to the command";
  EXPECT_EQ(f.command, (std::vector<std::string>{"--tty"}));
}

TEST(ArgvParser, RestDropsOneLeadingDoubleDash) {
  ExecLike e;
  ASSERT_TRUE(e({"c1", "--", "-o", "--", "x"}).ok());
  EXPECT_EQ(e.command, (std::vector<std::string>{"-o", "--", "x"}));
  ExecLike f;
  ASSERT_TRUE(f({"-t", "--", "c1", "ls"}).ok());
  EXPECT_EQ(f.id, "c1");
  EXPECT_EQ(f.command, (std::vector<std::string>{"ls"}));
}

TEST(ArgvParser, RestMayBeEmpty) {
  ExecLike e;
  ASSERT_TRUE(e({"c1"}).ok());
  EXPECT_TRUE(e.command.empty());
  ExecLike f;
  EXPECT_EQ(f({}).error, "missing argument ID");
}

// The global options: parsing stops at the verb; the verb's arguments are left alone.
struct GlobalLike {
  std::string root = "/run/minirun", format = "text", verb;
  bool debug = false, version = false;
  Parser parser{"minirun", "", "a runtime"};
  GlobalLike() {
    parser.option("--root", root, "state root");
    parser.option("--log-format", format, "log format").one_of("text|json");
    parser.flag("--debug", debug, "trace");
    parser.flag("-v,--version", version, "print the version").stops_parsing();
    parser.positional("COMMAND", verb, "the verb");
    parser.stop_after_positionals();
  }
  ParseResult operator()(std::vector<const char*> args) { return parse(parser, std::move(args)); }
};

TEST(ArgvParser, StopsAtTheVerb) {
  GlobalLike g;
  ParseResult result = g({"--root", "/x", "--log-format=json", "--debug", "run", "--help", "c1"});
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(g.root, "/x");
  EXPECT_EQ(g.format, "json");
  EXPECT_TRUE(g.debug);
  EXPECT_EQ(g.verb, "run");
  EXPECT_EQ(result.next, 5u);
  GlobalLike h;
  result = h({"exec", "--", "c1"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.next, 1u) << "the verb's own -- is the verb's";
}

TEST(ArgvParser, VersionStopsParsing) {
  GlobalLike g;
  ParseResult result = g({"--version", "--bogus"});
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(g.version);
  GlobalLike h;
  EXPECT_TRUE(h({"-v"}).ok());
  EXPECT_TRUE(h.version);
}

TEST(ArgvParser, NoVerbIsNoParseError) {
  GlobalLike g;
  ParseResult result = g({"--debug"});
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(g.verb, "");
  EXPECT_EQ(result.next, 1u);
}

TEST(ArgvParser, GlobalErrors) {
  GlobalLike g;
  EXPECT_EQ(g({"--log-format", "xml", "run"}).error,
            "option --log-format: \"xml\" is not one of text, json");
  GlobalLike h;
  EXPECT_EQ(h({"--nope", "run"}).error, "unknown option \"--nope\"");
  GlobalLike i;
  EXPECT_EQ(i({"--help", "run"}).kind, Kind::help);
}

TEST(ArgvParser, HelpText) {
  RunLike r;
  r.parser.footer("A footer that says more.");
  const std::string text = r.parser.help_text();
  EXPECT_EQ(text.rfind("Usage: minirun run [OPTIONS] ID\n\ncreate and start a container\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("\n  ID  "), std::string::npos) << text;
  EXPECT_NE(text.find("\n  -b, --bundle VALUE  "), std::string::npos) << text;
  EXPECT_NE(text.find("\n      --preserve-fds N  "), std::string::npos) << text;
  EXPECT_NE(text.find("output format (table|json) (default: table)"), std::string::npos) << text;
  EXPECT_NE(text.find("KEY=VALUE (repeatable)"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  -h, --help  "), std::string::npos) << text;
  EXPECT_NE(text.find("\nA footer that says more.\n"), std::string::npos) << text;

  ExecLike e;
  EXPECT_EQ(e.parser.help_text().rfind("Usage: minirun exec [OPTIONS] ID [COMMAND...]\n", 0), 0u);
  GlobalLike g;
  const std::string global = g.parser.help_text("Commands:\n  run  run it\n");
  EXPECT_EQ(global.rfind("Usage: minirun [OPTIONS] [COMMAND] [ARGS...]\n", 0), 0u) << global;
  EXPECT_NE(global.find("\nCommands:\n  run  run it\n"), std::string::npos) << global;
}

}  // namespace
}  // namespace minirun::cmd::argv
