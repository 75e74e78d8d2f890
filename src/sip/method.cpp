#include "zaudit/sip/method.hpp"

#include "zaudit/util/name_table.hpp"

namespace zaudit::sip {
namespace {

constexpr util::NameTable<Method, static_cast<std::size_t>(Method::count_)> k_names{{{
    {Method::invite, "INVITE"},
    {Method::ack, "ACK"},
    {Method::bye, "BYE"},
    {Method::cancel, "CANCEL"},
    {Method::update, "UPDATE"},
    {Method::prack, "PRACK"},
    {Method::other, "other"},
}}};
static_assert(k_names.complete(), "every Method has one distinct name, in declaration order");

}  // namespace

std::string_view to_string(Method method) {
    return k_names.name(method);
}

Method method_from_text(std::string_view text) {
    return k_names.find(text).value_or(Method::other);
}

}  // namespace zaudit::sip
