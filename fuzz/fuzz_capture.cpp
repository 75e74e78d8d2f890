// pcap / pcapng framing: the capture reader over a file holding the input (libpcap reads
// files by path or FILE*, and the reader opens by path, so the input goes to a scratch file).

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zaudit/capture/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    const fuzz::ScratchFile file{util::Bytes{data, size}, "capture"};
    auto reader = capture::Reader::open({capture::Source::file(file.path())}, capture::ReaderOptions{.hash = false});
    if (!reader) {
        return 0;
    }
    std::size_t bytes = 0;
    while (auto frame = reader->next()) {
        bytes += frame->data.size();  // touch every frame's length, as the decoder would
    }
    (void)reader->inputs();
    (void)reader->partial();
    return bytes == SIZE_MAX ? 1 : 0;
}
