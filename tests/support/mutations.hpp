#pragma once
// Deterministic random mutations of a text, for "never crashes" tests of the text parsers:
// each round changes, deletes or inserts characters from `alphabet` at four places.

#include <cstdint>
#include <string>

namespace zaudit::test {

template <typename Fn>
void for_each_mutation(const std::string& base, const std::string& alphabet, std::uint32_t seed, int rounds, Fn&& fn) {
    const auto next = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return seed >> 8;
    };
    for (int round = 0; round < rounds; ++round) {
        std::string text = base;
        for (int k = 0; k < 4; ++k) {
            const std::size_t at = next() % text.size();
            switch (next() % 3) {
                case 0: text[at] = alphabet[next() % alphabet.size()]; break;
                case 1: text.erase(at, next() % 8); break;
                default: text.insert(at, 1, alphabet[next() % alphabet.size()]); break;
            }
        }
        fn(text);
    }
}

}  // namespace zaudit::test
