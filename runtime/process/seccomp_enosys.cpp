#include "runtime/process/seccomp_enosys.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cerrno>
#include <cstddef>

namespace minirun::runtime {

namespace {

constexpr uint32_t kX32SyscallBit = 0x40000000;
constexpr uint32_t kNrOffset = offsetof(struct seccomp_data, nr);
constexpr uint32_t kArchOffset = offsetof(struct seccomp_data, arch);

sock_filter stmt(uint16_t code, uint32_t k) {
  return sock_filter{code, 0, 0, k};
}

// A conditional jump whose targets, both after it, are patched once they are placed.
sock_filter jump(uint16_t code, uint32_t k) {
  return sock_filter{static_cast<uint16_t>(BPF_JMP | code | BPF_K), 0, 0, k};
}

}  // namespace

std::vector<sock_filter> enosys_stub(const std::vector<LastSyscall>& lasts) {
  if (lasts.empty()) return {};
  // Layout: load arch; one block per architecture, skipped unless the arch matches and left
  // only by a jump to ENOSYS or to the program; a jump over ENOSYS; ENOSYS; the program.
  std::vector<sock_filter> out{stmt(BPF_LD | BPF_W | BPF_ABS, kArchOffset)};
  struct Exit {
    size_t at;
    bool on_true;
    bool to_enosys;
  };
  std::vector<Exit> exits;
  auto place = [&](const LastSyscall& entry, const LastSyscall* x32) {
    size_t check = out.size();
    out.push_back(jump(BPF_JEQ, entry.audit_arch));
    size_t block = out.size();
    out.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, kNrOffset));
    if (entry.audit_arch == AUDIT_ARCH_X86_64) {
      // An x32 call: its own last syscall, or the program decides (x32 not in the profile).
      out.push_back(jump(BPF_JSET, kX32SyscallBit));
      size_t split = out.size() - 1;
      out.push_back(jump(BPF_JGT, entry.last));
      exits.push_back({out.size() - 1, true, true});
      exits.push_back({out.size() - 1, false, false});
      out[split].jt = static_cast<uint8_t>(out.size() - split - 1);
      if (x32) {
        out.push_back(jump(BPF_JGT, x32->last));
        exits.push_back({out.size() - 1, true, true});
        exits.push_back({out.size() - 1, false, false});
      } else {
        out.push_back(stmt(BPF_JMP | BPF_JA, 0));
        exits.push_back({out.size() - 1, true, false});
      }
    } else {
      out.push_back(jump(BPF_JGT, entry.last));
      exits.push_back({out.size() - 1, true, true});
      exits.push_back({out.size() - 1, false, false});
    }
    out[check].jf = static_cast<uint8_t>(out.size() - block);
  };
  const LastSyscall* x32 = nullptr;
  for (const auto& entry : lasts)
    if (entry.x32) x32 = &entry;
  for (const auto& entry : lasts)
    if (!entry.x32) place(entry, x32);
  out.push_back(stmt(BPF_JMP | BPF_JA, 1));  // no architecture matched: the program decides
  const size_t enosys = out.size();
  out.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)));
  const size_t program = out.size();
  for (const auto& exit : exits) {
    size_t target = exit.to_enosys ? enosys : program;
    auto offset = static_cast<uint32_t>(target - exit.at - 1);
    sock_filter& insn = out[exit.at];
    if (BPF_OP(insn.code) == BPF_JA)
      insn.k = offset;
    else if (exit.on_true)
      insn.jt = static_cast<uint8_t>(offset);
    else
      insn.jf = static_cast<uint8_t>(offset);
  }
  return out;
}

}  // namespace minirun::runtime
