#pragma once
/// \file Backing the main heap with transparent huge pages, where the kernel offers them on
/// request (/sys/kernel/mm/transparent_hugepage/enabled = madvise, Debian's default).

#include <cstdint>

namespace zaudit::util {

/// An audit's heap grows to tens of megabytes in small pieces, and every 4 KiB page of it costs
/// a page fault on first touch: a tenth to a sixth of the audit thread's time on the bench's
/// mixes (bench/README.md).
/// Advised with MADV_HUGEPAGE, the kernel backs the heap with 2 MiB pages instead, at one fault
/// each. glibc only does this under GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which a program cannot
/// set for itself, so this does the same for glibc's main heap (the program break): it asks
/// glibc to grow the heap in large steps (M_TOP_PAD), and advise() marks what the heap has grown
/// to since the last call. Nothing changes where huge pages are disabled or madvise fails; other
/// threads' arenas are left as they are.
class HugePageHeap {
public:
    HugePageHeap();
    /// Advises the part of the heap added since the last call (cheap when nothing was).
    void advise();

private:
    std::uintptr_t m_advised_to = 0;  ///< page-aligned end of what was advised
};

}  // namespace zaudit::util
