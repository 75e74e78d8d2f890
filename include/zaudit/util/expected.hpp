#pragma once
/// \file Expected<T>: a value or an Error, for failures of the environment (files, options)
/// and of parsing. std::expected arrives with C++23; this is the subset we use.

#include <string>
#include <utility>
#include <variant>

namespace zaudit::util {

/// One line a person can act on, e.g. "capture.pcap: unknown file format".
struct Error {
    std::string message;
};

template <typename T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : m_state{std::move(value)} {}      // NOLINT: implicit like std::expected
    Expected(Error error) : m_state{std::move(error)} {}  // NOLINT: implicit like std::expected

    [[nodiscard]] bool has_value() const { return m_state.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    [[nodiscard]] const Error& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

/// Expected<void>: success or an Error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : m_error{std::move(error)}, m_failed{true} {}  // NOLINT: implicit
    [[nodiscard]] bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_failed = false;
};

}  // namespace zaudit::util
