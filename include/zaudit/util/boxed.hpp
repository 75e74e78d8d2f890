#pragma once
/// \file An optional value kept on the heap, copied as a value.

#include <memory>
#include <optional>
#include <utility>

namespace zaudit::util {

/// std::optional's interface for a member that most objects lack: an object without it pays a
/// pointer, not the member's size. The model keeps every call, stream and flow until the audit
/// ends, so a member only IAX2 calls, exported streams or flows of unknown payloads fill would
/// otherwise cost its full size in each of them (C++26 names this std::indirect).
template <class T>
class Boxed {
public:
    Boxed() = default;
    Boxed(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional converts
    Boxed(T value) : m_value{std::make_unique<T>(std::move(value))} {}  // NOLINT(google-explicit-constructor)
    Boxed(const Boxed& other) : m_value{other ? std::make_unique<T>(*other) : nullptr} {}
    Boxed(Boxed&&) noexcept = default;
    Boxed& operator=(const Boxed& other) {
        if (this != &other) {
            m_value = other ? std::make_unique<T>(*other) : nullptr;
        }
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;
    ~Boxed() = default;

    template <class... Args>
    T& emplace(Args&&... args) {
        m_value = std::make_unique<T>(std::forward<Args>(args)...);
        return *m_value;
    }
    void reset() { m_value.reset(); }

    [[nodiscard]] bool has_value() const { return m_value != nullptr; }
    explicit operator bool() const { return has_value(); }
    [[nodiscard]] T& operator*() { return *m_value; }
    [[nodiscard]] const T& operator*() const { return *m_value; }
    [[nodiscard]] T* operator->() { return m_value.get(); }
    [[nodiscard]] const T* operator->() const { return m_value.get(); }

private:
    std::unique_ptr<T> m_value;
};

}  // namespace zaudit::util
