#include "web/view_data.h"

#include <cassert>

namespace rt::web {

namespace {
// Room made on the first member: enough for most small objects, and
// doubling from there reaches our largest (about 25) in two steps.
constexpr size_t kFirstObjectCapacity = 8;

const std::vector<ViewData>& EmptyList() {
  static const std::vector<ViewData> kEmpty;
  return kEmpty;
}

const std::vector<ViewData::Member>& EmptyMembers() {
  static const std::vector<ViewData::Member> kEmpty;
  return kEmpty;
}
}  // namespace

ViewData ViewData::Object(size_t n) {
  ViewData d;
  d.object_.reserve(n);
  return d;
}

ViewData ViewData::List(size_t n) {
  ViewData d(false);
  d.tag_ = Tag::kList;
  new (&d.list_) std::vector<ViewData>();
  d.list_.reserve(n);
  return d;
}

ViewData ViewData::Clone() const {
  switch (tag_) {
    case Tag::kObject: {
      ViewData d = Object(object_.size());
      for (const Member& m : object_) d.object_.push_back(Member{m.key, m.hash, m.value.Clone()});
      return d;
    }
    case Tag::kList: {
      ViewData d = List(list_.size());
      for (const ViewData& item : list_) d.list_.push_back(item.Clone());
      return d;
    }
    case Tag::kOwned: return ViewData(owned_);
    case Tag::kInline: return ViewData(string_value());
    case Tag::kBorrowed: return Borrow(borrowed_);
    case Tag::kFalse: return ViewData(false);
    case Tag::kTrue: return ViewData(true);
  }
  return ViewData(false);
}

const std::vector<ViewData>& ViewData::list_value() const {
  return tag_ == Tag::kList ? list_ : EmptyList();
}

const std::vector<ViewData::Member>& ViewData::members() const {
  return tag_ == Tag::kObject ? object_ : EmptyMembers();
}

ViewData& ViewData::operator[](ViewKey key) {
  assert(tag_ == Tag::kObject);
  const uint32_t hash = key.hash();
  for (Member& m : object_) {
    if (m.hash == hash && m.key == key.name()) return m.value;
  }
  if (object_.capacity() == 0) object_.reserve(kFirstObjectCapacity);
  object_.push_back(Member{key.name(), hash, ViewData()});
  return object_.back().value;
}

ViewData& ViewData::AppendObject() {
  assert(tag_ == Tag::kList);
  list_.emplace_back();
  return list_.back();
}

void ViewData::Append(ViewData item) {
  assert(tag_ == Tag::kList);
  list_.push_back(std::move(item));
}

}  // namespace rt::web
