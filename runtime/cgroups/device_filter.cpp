#include "runtime/cgroups/device_filter.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "runtime/sys/fd.hpp"

namespace minirun::runtime {

namespace {

// Registers: r1 = ctx; r2 = access bits, r3 = device type, r4 = major, r5 = minor.
bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn load_ctx_word(uint8_t dst, int16_t offset) {
  return insn(BPF_LDX | BPF_MEM | BPF_W, dst, 1, offset, 0);
}
bpf_insn alu_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return insn(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn jump_imm(uint8_t op, uint8_t dst, int32_t imm, int16_t off) {
  return insn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}
bpf_insn exit_insn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int32_t access_bits(const std::string& access) {
  if (access.empty()) return BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
  int32_t bits = 0;
  for (char c : access) {
    if (c == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
    if (c == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (c == 'w') bits |= BPF_DEVCG_ACC_WRITE;
  }
  return bits;
}

// One rule: jumps past itself (to the next rule) when it does not match, else returns.
std::vector<bpf_insn> rule_block(const spec::DeviceCgroupRule& rule) {
  std::vector<bpf_insn> block;
  std::vector<size_t> skips;  // indexes of jumps to the block's end
  auto skip_unless = [&](bpf_insn jump) {
    skips.push_back(block.size());
    block.push_back(jump);
  };
  std::string type = rule.type.empty() ? "a" : rule.type;
  bool all = type == "a";
  if (!all)
    skip_unless(jump_imm(BPF_JNE, 3, type == "b" ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0));
  int32_t bits = all ? access_bits("rwm") : access_bits(rule.access);
  block.push_back(mov_reg(0, 2));
  if (rule.allow) {
    block.push_back(alu_imm(BPF_AND, 0, ~bits & 7));  // access asked beyond the rule's
    skip_unless(jump_imm(BPF_JNE, 0, 0, 0));
  } else {
    block.push_back(alu_imm(BPF_AND, 0, bits));  // any access the rule denies
    skip_unless(jump_imm(BPF_JEQ, 0, 0, 0));
  }
  if (!all && rule.major && *rule.major >= 0)
    skip_unless(jump_imm(BPF_JNE, 4, static_cast<int32_t>(*rule.major), 0));
  if (!all && rule.minor && *rule.minor >= 0)
    skip_unless(jump_imm(BPF_JNE, 5, static_cast<int32_t>(*rule.minor), 0));
  block.push_back(alu_imm(BPF_MOV, 0, rule.allow ? 1 : 0));
  block.push_back(exit_insn());
  for (size_t i : skips) block[i].off = static_cast<int16_t>(block.size() - i - 1);
  return block;
}

}  // namespace

std::vector<bpf_insn> device_filter_program(const std::vector<spec::DeviceCgroupRule>& rules) {
  std::vector<bpf_insn> prog = {
      load_ctx_word(2, offsetof(bpf_cgroup_dev_ctx, access_type)),
      mov_reg(3, 2),
      alu_imm(BPF_AND, 3, 0xffff),
      alu_imm(BPF_RSH, 2, 16),
      load_ctx_word(4, offsetof(bpf_cgroup_dev_ctx, major)),
      load_ctx_word(5, offsetof(bpf_cgroup_dev_ctx, minor)),
  };
  for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
    auto block = rule_block(*it);
    prog.insert(prog.end(), block.begin(), block.end());
  }
  prog.push_back(alu_imm(BPF_MOV, 0, 1));
  prog.push_back(exit_insn());
  return prog;
}

sys::Status attach_device_filter(const std::string& cgroup_dir,
                                 const std::vector<spec::DeviceCgroupRule>& rules) {
  auto prog = device_filter_program(rules);
  static const char kLicense[] = "GPL";
  union bpf_attr load {};
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<uint64_t>(prog.data());
  load.insn_cnt = static_cast<uint32_t>(prog.size());
  load.license = reinterpret_cast<uint64_t>(kLicense);
  sys::Fd prog_fd(static_cast<int>(syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load)));
  if (!prog_fd) return sys::Error::from_errno("cgroup", "load the cgroup2 device filter (bpf)");
  sys::Fd dir(open(cgroup_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return sys::Error::from_errno("cgroup", "open " + cgroup_dir);
  union bpf_attr attach {};
  attach.target_fd = static_cast<uint32_t>(dir.get());
  attach.attach_bpf_fd = static_cast<uint32_t>(prog_fd.get());
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach) < 0)
    return sys::Error::from_errno("cgroup", "attach the device filter to " + cgroup_dir);
  return {};
}

}  // namespace minirun::runtime
