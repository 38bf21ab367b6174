// The view data type: what each kind of value holds, how objects and lists
// are built in place, and what moves, clones and borrows promise.
#include "web/view_data.h"

#include <gtest/gtest.h>

#include "web/template_engine.h"

#include <type_traits>

namespace rt::web {
namespace {

// Values that would silently turn into true, or deep copies that would
// silently cost, do not compile.
static_assert(!std::is_constructible_v<ViewData, int>);
static_assert(!std::is_constructible_v<ViewData, double>);
static_assert(!std::is_constructible_v<ViewData, const int*>);
static_assert(!std::is_copy_constructible_v<ViewData>);
static_assert(!std::is_copy_assignable_v<ViewData>);
static_assert(std::is_nothrow_move_constructible_v<ViewData>);
static_assert(std::is_nothrow_move_assignable_v<ViewData>);

TEST(ViewDataTest, ADefaultValueIsAnEmptyObject) {
  ViewData d;
  EXPECT_TRUE(d.is_object());
  EXPECT_TRUE(d.members().empty());
  EXPECT_TRUE(d.truthy());
  EXPECT_EQ(d.get("anything"), nullptr);
}

TEST(ViewDataTest, EachKindOfValue) {
  ViewData d;
  d["s"] = std::string("text");
  d["c"] = "literal";
  d["v"] = std::string_view("view");
  d["t"] = true;
  d["f"] = false;
  d["l"] = ViewData::List();
  ASSERT_NE(d.get("s"), nullptr);
  EXPECT_TRUE(d.get("s")->is_string());
  EXPECT_EQ(d.get("s")->string_value(), "text");
  EXPECT_EQ(d.get("c")->string_value(), "literal");
  EXPECT_EQ(d.get("v")->string_value(), "view");
  EXPECT_TRUE(d.get("t")->is_true());
  EXPECT_TRUE(d.get("f")->is_false());
  EXPECT_TRUE(d.get("l")->is_list());
  // Only strings have text, only lists have items.
  EXPECT_EQ(d.get("t")->string_value(), "");
  EXPECT_EQ(d.get("l")->string_value(), "");
  EXPECT_TRUE(d.get("s")->list_value().empty());
  EXPECT_TRUE(d.get("s")->members().empty());
  EXPECT_EQ(d.get("s")->get("x"), nullptr);
}

TEST(ViewDataTest, TruthFollowsMustache) {
  EXPECT_FALSE(ViewData(false).truthy());
  EXPECT_FALSE(ViewData::List(8).truthy());
  EXPECT_TRUE(ViewData(true).truthy());
  EXPECT_TRUE(ViewData("").truthy());
  EXPECT_TRUE(ViewData::Borrow("").truthy());
  EXPECT_TRUE(ViewData().truthy());
  ViewData list = ViewData::List();
  list.Append(false);
  EXPECT_TRUE(list.truthy());
}

TEST(ViewDataTest, MembersKeepInsertionOrderAndAssignmentReplaces) {
  ViewData d;
  d["b"] = "1";
  d["a"] = "2";
  d["b"] = true;
  ASSERT_EQ(d.members().size(), 2u);
  EXPECT_EQ(d.members()[0].key, "b");
  EXPECT_TRUE(d.members()[0].value.is_true());
  EXPECT_EQ(d.members()[1].key, "a");
  EXPECT_EQ(&d["a"], d.get("a"));
  // Names differing only in length or in one letter are distinct.
  d["ab"] = "3";
  d["aa"] = "4";
  EXPECT_EQ(d.get("ab")->string_value(), "3");
  EXPECT_EQ(d.get("aa")->string_value(), "4");
  EXPECT_EQ(d.get("a")->string_value(), "2");
  EXPECT_EQ(d.get(""), nullptr);
}

TEST(ViewDataTest, ManyMembersStayReachable) {
  static constexpr ViewKey kKeys[] = {"k0",  "k1",  "k2",  "k3",  "k4",  "k5",  "k6",  "k7",  "k8",
                                      "k9",  "k10", "k11", "k12", "k13", "k14", "k15", "k16", "k17",
                                      "k18", "k19", "k20", "k21", "k22", "k23", "k24", "k25", "k26",
                                      "k27", "k28", "k29", "k30", "k31", "k32"};
  ViewData d;
  for (size_t i = 0; i < std::size(kKeys); ++i) d[kKeys[i]] = std::to_string(i);
  ASSERT_EQ(d.members().size(), std::size(kKeys));
  for (size_t i = 0; i < std::size(kKeys); ++i) {
    const ViewData* v = d.get(kKeys[i].name());
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(v->string_value(), std::to_string(i));
  }
}

TEST(ViewDataTest, NestedObjectsAreBuiltInPlace) {
  ViewData d;
  d["outer"]["inner"]["leaf"] = "x";
  const ViewData* outer = d.get("outer");
  ASSERT_NE(outer, nullptr);
  ASSERT_TRUE(outer->is_object());
  const ViewData* inner = outer->get("inner");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->get("leaf")->string_value(), "x");
}

TEST(ViewDataTest, ListItemsAreBuiltInPlaceWithoutReallocating) {
  ViewData list = ViewData::List(3);
  ViewData& first = list.AppendObject();
  first["n"] = "1";
  list.AppendObject()["n"] = "2";
  list.Append("three");
  // Room for three was reserved: the first item has not moved.
  EXPECT_EQ(&first, &list.list_value()[0]);
  ASSERT_EQ(list.list_value().size(), 3u);
  EXPECT_EQ(list.list_value()[0].get("n")->string_value(), "1");
  EXPECT_EQ(list.list_value()[1].get("n")->string_value(), "2");
  EXPECT_EQ(list.list_value()[2].string_value(), "three");
  // Beyond the reservation the list still grows.
  for (int i = 0; i < 20; ++i) list.Append(true);
  EXPECT_EQ(list.list_value().size(), 23u);
  EXPECT_EQ(list.list_value()[1].get("n")->string_value(), "2");
}

TEST(ViewDataTest, BorrowedStringsAreNotCopied) {
  std::string big(10000, 'x');
  ViewData d;
  d["html"] = ViewData::Borrow(big);
  EXPECT_TRUE(d.get("html")->is_string());
  EXPECT_TRUE(d.get("html")->is_borrowed());
  EXPECT_EQ(d.get("html")->type(), ViewData::Type::kString);
  EXPECT_EQ(d.get("html")->string_value().data(), big.data());
  ViewData moved = std::move(d);
  EXPECT_EQ(moved.get("html")->string_value().data(), big.data());
}

TEST(ViewDataTest, StringsOfEveryLengthAroundTheInlineLimit) {
  const size_t limit = ViewData::kInlineCapacity;
  for (size_t n :
       {size_t{0}, size_t{1}, size_t{15}, size_t{16}, limit - 1, limit, limit + 1, size_t{1000}}) {
    std::string text;
    for (size_t i = 0; i < n; ++i) text.push_back(static_cast<char>('a' + i % 26));
    ViewData from_view{std::string_view(text)};
    ViewData from_ref{text};
    ViewData from_chars{text.c_str()};
    ViewData from_rvalue{std::string(text)};
    for (const ViewData* d : {&from_view, &from_ref, &from_chars, &from_rvalue}) {
      EXPECT_TRUE(d->is_string()) << n;
      EXPECT_FALSE(d->is_borrowed()) << n;
      EXPECT_EQ(d->string_value(), text) << n;
      // A copy, never a view of the source.
      if (n > 0) {
        EXPECT_NE(d->string_value().data(), text.data()) << n;
      }
    }
    ViewData moved = std::move(from_view);
    EXPECT_EQ(moved.string_value(), text) << n;
    ViewData assigned(true);
    assigned = std::move(moved);
    EXPECT_EQ(assigned.string_value(), text) << n;
    EXPECT_EQ(assigned.Clone().string_value(), text) << n;
  }
}

TEST(ViewDataTest, ObjectsMadeWithRoomDoNotReallocate) {
  ViewData d = ViewData::Object(20);
  ViewData& first = d["first"];
  first = "value";
  d["a"] = true;
  d["b"] = true;
  d["c"] = true;
  d["e"] = true;
  d["f"] = true;
  d["g"] = true;
  d["h"] = true;
  d["i"] = true;
  d["j"] = true;
  EXPECT_EQ(&first, d.get("first"));
  EXPECT_EQ(first.string_value(), "value");
}

TEST(ViewDataTest, MovesKeepTheContentWithoutCopyingIt) {
  std::string long_text(1000, 'y');
  ViewData s(long_text);
  const char* chars = s.string_value().data();
  ViewData moved(std::move(s));
  EXPECT_EQ(moved.string_value().data(), chars);

  ViewData list = ViewData::List();
  list.AppendObject()["k"] = "v";
  const ViewData* item = &list.list_value()[0];
  ViewData holder;
  holder["list"] = std::move(list);
  EXPECT_EQ(&holder.get("list")->list_value()[0], item);

  // Assigning over any kind of value frees what was there.
  ViewData target("old string that is long enough to live on the heap");
  target = std::move(holder);
  EXPECT_TRUE(target.is_object());
  EXPECT_EQ(target.get("list")->list_value()[0].get("k")->string_value(), "v");
  target = ViewData(true);
  EXPECT_TRUE(target.is_true());
}

TEST(ViewDataTest, FragmentsOwnTheirDataAndMoveIt) {
  std::string error;
  auto tmpl = CompiledTemplate::Parse("{{n}}", &error);
  ASSERT_NE(tmpl, nullptr);
  ViewData data;
  data["n"] = "inner";
  ViewData f = ViewData::Fragment(*tmpl, std::move(data));
  EXPECT_TRUE(f.is_fragment());
  EXPECT_EQ(f.type(), ViewData::Type::kFragment);
  EXPECT_TRUE(f.truthy());
  EXPECT_FALSE(f.is_string());
  EXPECT_EQ(f.string_value(), "");
  EXPECT_EQ(f.get("n"), nullptr);
  EXPECT_EQ(f.fragment_template(), tmpl.get());
  const ViewData* inner = f.fragment_data();
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->get("n")->string_value(), "inner");

  ViewData moved = std::move(f);
  EXPECT_EQ(moved.fragment_data(), inner);
  EXPECT_FALSE(f.is_fragment());  // NOLINT(bugprone-use-after-move): documented state
  ViewData copy = moved.Clone();
  EXPECT_NE(copy.fragment_data(), inner);
  EXPECT_EQ(copy.fragment_data()->get("n")->string_value(), "inner");
  EXPECT_EQ(ViewData(true).fragment_data(), nullptr);
}

TEST(ViewDataTest, AbsentNamesAreNotFoundWhateverTheirHash) {
  // Many names share a bit of the object's name mask: lookups must still
  // compare the names themselves.
  static constexpr ViewKey kKeys[] = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
                                      "a8", "a9", "b0", "b1", "b2", "b3", "b4", "b5"};
  ViewData d;
  for (const ViewKey& k : kKeys) d[k] = std::string(k.name());
  for (const ViewKey& k : kKeys) EXPECT_EQ(d.get(k.name())->string_value(), k.name());
  for (std::string_view absent : {"a", "c0", "b6", "a10", "", "A0"}) {
    EXPECT_EQ(d.get(absent), nullptr) << absent;
  }
}

TEST(ViewDataTest, SlotHintsOnlySpeedLookupsUp) {
  ViewData a;
  a["x"] = "ax";
  a["y"] = "ay";
  ViewData b;
  b["y"] = "by";
  b["x"] = "bx";
  uint32_t slot = 0;
  EXPECT_EQ(a.get("y", HashName("y"), &slot)->string_value(), "ay");
  EXPECT_EQ(slot, 1u);
  EXPECT_EQ(b.get("y", HashName("y"), &slot)->string_value(), "by");
  EXPECT_EQ(slot, 0u);
  slot = 99;  // out of range: ignored
  EXPECT_EQ(b.get("x", HashName("x"), &slot)->string_value(), "bx");
  EXPECT_EQ(slot, 1u);
  EXPECT_EQ(b.get("z", HashName("z"), &slot), nullptr);
  EXPECT_EQ(slot, 1u);
}

TEST(ViewDataTest, CloneIsDeepAndIndependent) {
  std::string borrowed = "borrowed";
  ViewData d;
  d["s"] = "string";
  d["b"] = ViewData::Borrow(borrowed);
  d["t"] = true;
  d["f"] = false;
  ViewData list = ViewData::List();
  list.AppendObject()["n"] = "1";
  d["l"] = std::move(list);

  ViewData copy = d.Clone();
  d["s"] = "changed";
  d["t"] = false;
  d["new"] = "only in the original";
  EXPECT_EQ(copy.get("s")->string_value(), "string");
  EXPECT_TRUE(copy.get("t")->is_true());
  EXPECT_TRUE(copy.get("f")->is_false());
  EXPECT_EQ(copy.get("new"), nullptr);
  EXPECT_TRUE(copy.get("b")->is_borrowed());
  EXPECT_EQ(copy.get("b")->string_value().data(), borrowed.data());
  ASSERT_EQ(copy.get("l")->list_value().size(), 1u);
  EXPECT_NE(&copy.get("l")->list_value()[0], &d.get("l")->list_value()[0]);
  EXPECT_EQ(copy.get("l")->list_value()[0].get("n")->string_value(), "1");
}

}  // namespace
}  // namespace rt::web
