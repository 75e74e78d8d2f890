#include "zaudit/util/huge_pages.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace zaudit::util {
namespace {

constexpr std::uintptr_t k_page = 4096;
// glibc extends the heap by the request plus this much: the grown part spans whole 2 MiB pages.
constexpr int k_top_pad = 32 << 20;

std::uintptr_t program_break() {
    return reinterpret_cast<std::uintptr_t>(sbrk(0));
}

}  // namespace

HugePageHeap::HugePageHeap() {
    mallopt(M_TOP_PAD, k_top_pad);
    m_advised_to = program_break() & ~(k_page - 1);
}

void HugePageHeap::advise() {
    const std::uintptr_t end = program_break() & ~(k_page - 1);
    if (end <= m_advised_to) {
        return;
    }
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the heap's own addresses, from sbrk
    if (madvise(reinterpret_cast<void*>(m_advised_to), end - m_advised_to, MADV_HUGEPAGE) == 0) {
        m_advised_to = end;
    }
}

}  // namespace zaudit::util
