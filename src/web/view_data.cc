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
  d.object_.members.reserve(n);
  return d;
}

ViewData ViewData::List(size_t n) {
  ViewData d(false);
  d.tag_ = Tag::kList;
  new (&d.list_) std::vector<ViewData>();
  d.list_.reserve(n);
  return d;
}

ViewData ViewData::Fragment(const CompiledTemplate& tmpl, ViewData data) {
  ViewData d(false);
  d.tag_ = Tag::kFragment;
  d.fragment_.tmpl = &tmpl;
  d.fragment_.data = new ViewData(std::move(data));
  return d;
}

ViewData ViewData::Clone() const {
  switch (tag_) {
    case Tag::kObject: {
      ViewData d = Object(object_.members.size());
      for (const Member& m : object_.members) {
        d.object_.members.emplace_back(m.key, m.hash, m.value.Clone());
      }
      d.object_.names = object_.names;
      return d;
    }
    case Tag::kList: {
      ViewData d = List(list_.size());
      for (const ViewData& item : list_) d.list_.push_back(item.Clone());
      return d;
    }
    case Tag::kOwned:
      return ViewData(owned_);
    case Tag::kInline:
      return ViewData(string_value());
    case Tag::kBorrowed:
      return Borrow(borrowed_);
    case Tag::kFalse:
      return ViewData(false);
    case Tag::kTrue:
      return ViewData(true);
    case Tag::kFragment:
      return Fragment(*fragment_.tmpl, fragment_.data->Clone());
    case Tag::kWriter:
      return Writer(writer_.write, writer_.context);
  }
  return ViewData(false);
}

const std::vector<ViewData>& ViewData::list_value() const {
  return tag_ == Tag::kList ? list_ : EmptyList();
}

const std::vector<ViewData::Member>& ViewData::members() const {
  return tag_ == Tag::kObject ? object_.members : EmptyMembers();
}

const ViewData* ViewData::get(std::string_view name, uint32_t hash, uint32_t* slot) const {
  if (tag_ != Tag::kObject || !object_.MayHave(hash)) return nullptr;
  const std::vector<Member>& members = object_.members;
  if (*slot < members.size()) {
    const Member& m = members[*slot];
    if (m.hash == hash && m.key == name) return &m.value;
  }
  for (size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    if (m.hash == hash && m.key == name) {
      *slot = static_cast<uint32_t>(i);
      return &m.value;
    }
  }
  return nullptr;
}

ViewData& ViewData::operator[](ViewKey key) {
  assert(tag_ == Tag::kObject);
  const uint32_t hash = key.hash();
  std::vector<Member>& members = object_.members;
  if (object_.MayHave(hash)) {
    for (Member& m : members) {
      if (m.hash == hash && m.key == key.name()) return m.value;
    }
  }
  if (members.capacity() == 0) members.reserve(kFirstObjectCapacity);
  object_.names |= uint64_t{1} << (hash & 63);
  return members.emplace_back(key.name(), hash).value;
}

void ViewData::Reserve(size_t n) {
  if (tag_ == Tag::kObject) object_.members.reserve(n);
  if (tag_ == Tag::kList) list_.reserve(n);
}

ViewData& ViewData::AppendObject() {
  assert(tag_ == Tag::kList);
  return list_.emplace_back();
}

void ViewData::Append(ViewData item) {
  assert(tag_ == Tag::kList);
  list_.push_back(std::move(item));
}

}  // namespace rt::web
