#pragma once
/// \file One table of stable names per enum: `to_string` and the reverse lookup read the same
/// rows, and a static_assert on complete() proves that the table names every value of the enum
/// once, in declaration order, with distinct non-empty names. Names are what reports, evidence
/// and tests show; code compares the enum values, never the names.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace zaudit::util {

template <typename Enum, std::size_t N>
class NameTable {
public:
    using Row = std::pair<Enum, std::string_view>;

    constexpr explicit NameTable(const std::array<Row, N>& rows) : m_rows{rows} {}

    /// Row i names value i, every name is non-empty and no two are equal.
    [[nodiscard]] constexpr bool complete() const {
        for (std::size_t i = 0; i < N; ++i) {
            if (static_cast<std::size_t>(m_rows[i].first) != i || m_rows[i].second.empty()) {
                return false;
            }
            for (std::size_t j = i + 1; j < N; ++j) {
                if (m_rows[i].second == m_rows[j].second) {
                    return false;
                }
            }
        }
        return true;
    }

    /// The name of a value; empty for a value outside the enum.
    [[nodiscard]] constexpr std::string_view name(Enum value) const {
        const auto index = static_cast<std::size_t>(value);
        return index < N ? m_rows[index].second : std::string_view{};
    }

    /// The value with this exact name, nullopt when none has it.
    [[nodiscard]] constexpr std::optional<Enum> find(std::string_view name) const {
        for (const auto& [value, text] : m_rows) {
            if (text == name) {
                return value;
            }
        }
        return std::nullopt;
    }

    [[nodiscard]] static constexpr std::size_t size() { return N; }

private:
    std::array<Row, N> m_rows;
};

}  // namespace zaudit::util
