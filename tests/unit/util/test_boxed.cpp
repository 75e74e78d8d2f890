// util::Boxed: an optional kept on the heap, with a value's copies.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "zaudit/util/boxed.hpp"

using zaudit::util::Boxed;

TEST_CASE("a Boxed is empty until given a value, and costs a pointer either way") {
    Boxed<std::string> box;
    CHECK_FALSE(box);
    CHECK_FALSE(box.has_value());
    STATIC_REQUIRE(sizeof(Boxed<std::string>) == sizeof(void*));
    box = std::string{"Hello   "};
    REQUIRE(box);
    CHECK(*box == "Hello   ");
    CHECK(box->size() == 8);
    box.reset();
    CHECK_FALSE(box);
    box = std::nullopt;
    CHECK_FALSE(box);
}

TEST_CASE("a copied Boxed owns a value of its own, a moved one hands its value over") {
    Boxed<std::string> original{std::string{"Commit  "}};
    Boxed<std::string> copy{original};
    REQUIRE(copy);
    CHECK(&*copy != &*original);
    copy->append("edited");
    CHECK(*original == "Commit  ");  // a deep copy: editing one leaves the other alone

    Boxed<std::string> assigned;
    assigned = original;
    REQUIRE(assigned);
    CHECK(*assigned == "Commit  ");
    const Boxed<std::string> empty;
    assigned = empty;  // copying an empty one empties
    CHECK_FALSE(assigned);

    const std::string* held = &*original;
    Boxed<std::string> moved{std::move(original)};
    CHECK(&*moved == held);  // the same heap value, not a copy
    CHECK(moved.emplace(3, 'x') == "xxx");
}
