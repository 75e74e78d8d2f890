#include <catch2/catch.hpp>

#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "zaudit/report/json_document.hpp"
#include "zaudit/report/report.hpp"

using namespace zaudit;
using nlohmann::ordered_json;

namespace {

/// Item i of the test lists: nested, with a string that needs escaping for the terminal.
ordered_json item(std::size_t i) {
    return ordered_json{{"id", i},
                        {"name", "call \x1b[31m" + std::to_string(i)},
                        {"legs", ordered_json::array({i % 3, ordered_json{{"port", 40000 + i}}})}};
}

}  // namespace

TEST_CASE("an indexed list, built on two threads or one, has the bytes of the whole document's dump") {
    // Counts around the block size: one block, two, a round and a half, several rounds.
    const std::size_t block = report::DocumentWriter::k_block;
    for (const unsigned int threads : {2U, 1U}) {
        for (const std::size_t count : {std::size_t{0}, std::size_t{1}, block, block + 1, 3 * block + 7, 9 * block}) {
            std::ostringstream out;
            report::DocumentWriter doc{out, 0, threads};
            // With one thread (--jobs 1), every item is built on this one.
            std::mutex mutex;
            std::set<std::thread::id> builders;
            auto make = [&](std::size_t i) {
                const std::lock_guard lock{mutex};
                builders.insert(std::this_thread::get_id());
                return item(i);
            };
            doc.member("schema", "zaudit/1");
            doc.indexed_list("items", count, make);
            doc.member("after", true);
            doc.finish();
            if (threads == 1) {
                CHECK(builders.size() <= 1);
                CHECK((builders.empty() || *builders.begin() == std::this_thread::get_id()));
            }

            ordered_json whole{{"schema", "zaudit/1"}, {"items", ordered_json::array()}, {"after", true}};
            for (std::size_t i = 0; i < count; ++i) {
                whole["items"].push_back(item(i));
            }
            report::make_printable(whole);
            INFO("count " << count << ", threads " << threads);
            CHECK(out.str() == whole.dump(2) + "\n");
            CHECK(out.str().find('\x1b') == std::string::npos);
        }
    }
}

TEST_CASE("an object written deeper in a document (SARIF's run) has the bytes of the whole document's dump") {
    // {"version": ..., "runs": [{...}, {}]}: the first run streamed at depth 2, with both kinds
    // of list, empty and not; the second has no member at all.
    const std::size_t block = report::DocumentWriter::k_block;
    for (const std::size_t count : {std::size_t{0}, std::size_t{2}, 2 * block + 5}) {
        std::ostringstream out;
        out << "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    ";
        report::DocumentWriter run{out, 2};
        run.member("tool", ordered_json{{"name", "zaudit"}, {"rules", ordered_json::array({1, 2})}});
        run.indexed_list("results", count, item);
        run.list("artifacts", [count](auto&& emit) {
            for (std::size_t i = 0; i < count % 3; ++i) {
                emit(item(i));
            }
        });
        run.member("after", true);
        run.finish();
        out << ",\n    ";
        report::DocumentWriter empty{out, 2};
        empty.finish();
        out << "\n  ]\n}\n";

        ordered_json first{{"tool", {{"name", "zaudit"}, {"rules", ordered_json::array({1, 2})}}},
                           {"results", ordered_json::array()},
                           {"artifacts", ordered_json::array()},
                           {"after", true}};
        for (std::size_t i = 0; i < count; ++i) {
            first["results"].push_back(item(i));
        }
        for (std::size_t i = 0; i < count % 3; ++i) {
            first["artifacts"].push_back(item(i));
        }
        ordered_json whole{{"version", "2.1.0"}, {"runs", ordered_json::array({first, ordered_json::object()})}};
        report::make_printable(whole);
        INFO("count " << count);
        CHECK(out.str() == whole.dump(2) + "\n");
    }
}

TEST_CASE("an item that cannot be built fails the indexed list, whichever thread built it") {
    const std::size_t block = report::DocumentWriter::k_block;
    // In the first block, the second, and one several blocks in, once both threads are well along.
    for (const std::size_t bad : {std::size_t{3}, block + 3, 7 * block + 3}) {
        std::ostringstream out;
        report::DocumentWriter doc{out};
        auto make = [bad](std::size_t i) {
            if (i == bad) {
                throw std::runtime_error("item " + std::to_string(i));
            }
            return item(i);
        };
        CHECK_THROWS_WITH(doc.indexed_list("items", 9 * block, make), "item " + std::to_string(bad));
    }
}

TEST_CASE("make_printable escapes strings and keys at any depth, and keeps the fields' order") {
    ordered_json value{{"plain", "sip:alice@example.com"},
                       {"bad\x1b[2Jkey", ordered_json::array({"ok", "bell\x07", ordered_json{{"deep", "\xff"}}})},
                       {"last", 7}};
    report::make_printable(value);
    std::string keys;
    for (const auto& [key, item] : value.items()) {
        keys += key + "|";
    }
    CHECK(keys == "plain|bad\\x1B[2Jkey|last|");
    CHECK(value["plain"] == "sip:alice@example.com");
    CHECK(value["bad\\x1B[2Jkey"][1] == "bell\\x07");
    CHECK(value["bad\\x1B[2Jkey"][2]["deep"] == "\\xFF");
    CHECK(value["last"] == 7);
}

TEST_CASE("JsonObject keeps the fields in the order they were added") {
    report::JsonObject object{2};
    object.add("zeta", 1)
        .add("alpha", "two")
        .add_optional("none", std::optional<int>{})
        .add_optional("some", std::optional<int>{3});
    const ordered_json built = object.take();
    CHECK(built.dump() == R"({"zeta":1,"alpha":"two","none":null,"some":3})");
}
