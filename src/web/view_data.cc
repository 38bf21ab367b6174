#include "web/view_data.h"

#include <cassert>

namespace rt::web {

namespace {
// Most of our objects have between 5 and 25 members: start with room for
// the common case rather than growing through 1, 2, 4 and 8.
constexpr size_t kFirstObjectCapacity = 16;

const std::vector<ViewData>& EmptyList() {
  static const std::vector<ViewData> kEmpty;
  return kEmpty;
}

const std::vector<ViewData::Member>& EmptyMembers() {
  static const std::vector<ViewData::Member> kEmpty;
  return kEmpty;
}
}  // namespace

ViewData ViewData::List(size_t n) {
  ViewData d(false);
  d.type_ = Type::kList;
  new (&d.list_) std::vector<ViewData>();
  d.list_.reserve(n);
  return d;
}

ViewData ViewData::Clone() const {
  switch (type_) {
    case Type::kObject: {
      ViewData d;
      d.object_.reserve(object_.size());
      for (const Member& m : object_) d.object_.push_back(Member{m.key, m.value.Clone()});
      return d;
    }
    case Type::kList: {
      ViewData d = List(list_.size());
      for (const ViewData& item : list_) d.list_.push_back(item.Clone());
      return d;
    }
    case Type::kString: return ViewData(string_);
    case Type::kBorrowed: return Borrow(borrowed_);
    case Type::kFalse: return ViewData(false);
    case Type::kTrue: return ViewData(true);
  }
  return ViewData(false);
}

const std::vector<ViewData>& ViewData::list_value() const {
  return type_ == Type::kList ? list_ : EmptyList();
}

const std::vector<ViewData::Member>& ViewData::members() const {
  return type_ == Type::kObject ? object_ : EmptyMembers();
}

ViewData& ViewData::operator[](ViewKey key) {
  assert(type_ == Type::kObject);
  std::string_view name = key.name();
  for (Member& m : object_) {
    if (m.key.size() == name.size() && m.key == name) return m.value;
  }
  if (object_.capacity() == 0) object_.reserve(kFirstObjectCapacity);
  object_.push_back(Member{name, ViewData()});
  return object_.back().value;
}

ViewData& ViewData::AppendObject() {
  assert(type_ == Type::kList);
  list_.emplace_back();
  return list_.back();
}

void ViewData::Append(ViewData item) {
  assert(type_ == Type::kList);
  list_.push_back(std::move(item));
}

}  // namespace rt::web
