#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "zaudit/util/huge_pages.hpp"

namespace {

std::string first_line(const char* path) {
    std::ifstream in{path};
    std::string line;
    std::getline(in, line);
    return line;
}

/// Whether a VMA of the program break ([heap] in /proc/self/smaps) is advised for huge pages
/// (VmFlags "hg", set by MADV_HUGEPAGE and by nothing else).
bool heap_advised() {
    std::ifstream smaps{"/proc/self/smaps"};
    bool in_heap = false;
    for (std::string line; std::getline(smaps, line);) {
        if (line.find("[heap]") != std::string::npos) {
            in_heap = true;
        } else if (in_heap && line.rfind("VmFlags:", 0) == 0) {
            if ((line + ' ').find(" hg ") != std::string::npos) {
                return true;
            }
            in_heap = false;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("HugePageHeap advises the heap it grew for transparent huge pages") {
#if defined(__SANITIZE_ADDRESS__)
    WARN("AddressSanitizer's allocator does not grow the program break: nothing to advise");
    return;
#endif
    const std::string thp = first_line("/sys/kernel/mm/transparent_hugepage/enabled");
    if (thp.empty() || thp.find("[never]") != std::string::npos) {
        WARN("transparent huge pages are not available here: " << thp);
        return;
    }
    zaudit::util::HugePageHeap heap;
    // Small blocks come from the program break (large ones would be mmapped on their own).
    std::vector<std::unique_ptr<std::array<char, 1024>>> blocks;
    for (int i = 0; i < 16 * 1024; ++i) {
        blocks.push_back(std::make_unique<std::array<char, 1024>>());
    }
    heap.advise();
    CHECK(heap_advised());
    heap.advise();  // nothing new: no second call, no harm
    CHECK(heap_advised());
}
