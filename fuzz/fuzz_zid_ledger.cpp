// The ZID ledger file (--ledger): read, and when it loads, written back and read again (what
// `zaudit ledger accept` does), with accept and forget on the first identity it holds.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zaudit/session/zid_ledger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    const fuzz::ScratchFile file{util::Bytes{data, size}, "ledger"};
    auto ledger = session::load_ledger(file.path());
    if (!ledger || ledger->empty()) {
        return 0;
    }
    const std::string key = ledger->front().identity;
    (void)session::accept(*ledger, key);
    (void)session::forget(*ledger, key);
    auto learned = session::learn(*ledger, *ledger);
    const fuzz::ScratchFile copy{{}, "ledger-copy"};
    if (session::save_ledger(copy.path(), std::move(learned))) {
        (void)session::load_ledger(copy.path());
    }
    return 0;
}
