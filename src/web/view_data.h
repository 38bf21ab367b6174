#ifndef RT_WEB_VIEW_DATA_H_
#define RT_WEB_VIEW_DATA_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rt::web {

class CompiledTemplate;

// The hash objects compare member names by before comparing their text
// (32-bit FNV-1a). constexpr so that keys and parsed templates compute it
// once, ahead of any render.
constexpr uint32_t HashName(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

// The name of a member of a ViewData object. It can only be made from a
// string known at compile time (a literal, or a constexpr table of them), so
// objects store the name as a view and never copy or free it.
class ViewKey {
 public:
  consteval ViewKey(const char* name)  // NOLINT: implicit on purpose
      : name_(name), hash_(HashName(name_)) {}
  constexpr std::string_view name() const { return name_; }
  constexpr uint32_t hash() const { return hash_; }

 private:
  std::string_view name_;
  uint32_t hash_;
};

// The data a Mustache template is rendered with (web/template_engine.h): an
// object (named members in insertion order), a list, a string, true/false,
// or a fragment (another template with its own data, see Fragment). Built
// by one handler for one render, so it favours cheap building over
// everything else: an object is a small vector searched linearly by name
// hash (ours have at most a few dozen members), strings of up to
// kInlineCapacity bytes are stored inside the value, moves never allocate,
// and list items and members are built in place.
//
// Borrowed strings (Borrow) are not copied: the viewed characters must stay
// alive and unchanged until the last render of this data (or of any data it
// is moved into) has returned. Use them only for text owned by something the
// handler keeps for the whole request, such as the page a service returned,
// a string constant, or the request itself.
//
// Copying is explicit (Clone) so that deep copies never happen by accident.
// Not thread-safe to modify; a finished value may be rendered by any number
// of threads at once.
class ViewData {
 public:
  enum class Type : uint8_t { kObject, kList, kString, kFalse, kTrue, kFragment, kWriter };
  // Writes a Writer value's text at the end of `out`.
  using WriteFn = void (*)(const void* context, std::string* out);
  struct Member;
  // Strings up to this long need no allocation of their own.
  static constexpr size_t kInlineCapacity = sizeof(std::string) - 1;

  // An empty object.
  ViewData() noexcept : tag_(Tag::kObject) { new (&object_) ObjectRep(); }
  ViewData(bool b) noexcept : tag_(b ? Tag::kTrue : Tag::kFalse) {}  // NOLINT
  // Strings are copied, or moved when given as an rvalue std::string.
  ViewData(std::string&& s) noexcept : tag_(Tag::kOwned) {  // NOLINT
    new (&owned_) std::string(std::move(s));
  }
  ViewData(const std::string& s) { SetText(s); }  // NOLINT
  ViewData(std::string_view s) { SetText(s); }    // NOLINT
  ViewData(const char* s) { SetText(s); }         // NOLINT
  // Numbers are not Mustache values: say which text to show instead.
  template <typename T>
  requires std::is_arithmetic_v<T> &&(!std::is_same_v<T, bool>)ViewData(T) = delete;
  // Nor are pointers, which would otherwise quietly become true.
  template <typename T>
  requires(!std::is_same_v<std::remove_cv_t<T>, char>) ViewData(T*)
  = delete;

  // A string that views `s` instead of copying it; see the class comment for
  // how long `s` must live.
  static ViewData Borrow(std::string_view s) noexcept {
    ViewData d(false);
    d.tag_ = Tag::kBorrowed;
    new (&d.borrowed_) std::string_view(s);
    return d;
  }
  // An empty object with room for `n` members.
  static ViewData Object(size_t n);
  // An empty list with room for `n` items (appending up to `n` never
  // reallocates).
  static ViewData List(size_t n = 0);
  // A value that a {{{raw}}} tag prints as the rendering of `tmpl` with
  // `data` as its whole context: nothing of the enclosing context shows
  // through. It lets a page insert HTML made from other data without first
  // rendering it into a string of its own. An {{escaped}} tag prints the
  // same text escaped. It is true in sections and has no members. `tmpl`
  // must outlive this value (compiled templates live as long as the
  // process: see web/templates.h).
  static ViewData Fragment(const CompiledTemplate& tmpl, ViewData data);
  // A value that a {{{raw}}} tag prints by calling write(context, out), so
  // that long HTML a handler makes in code (a thread's replies) goes
  // straight into the page instead of into a string of its own that is then
  // copied. An {{escaped}} tag prints the same text escaped. It is true in
  // sections and has no members. `context` is borrowed: it must stay alive
  // and unchanged until the last render of this data.
  static ViewData Writer(WriteFn write, const void* context) noexcept {
    ViewData d(false);
    d.tag_ = Tag::kWriter;
    d.writer_.write = write;
    d.writer_.context = context;
    return d;
  }

  ViewData(ViewData&& other) noexcept { MoveFrom(std::move(other)); }
  ViewData& operator=(ViewData&& other) noexcept {
    if (this != &other) {
      Destroy();
      MoveFrom(std::move(other));
    }
    return *this;
  }
  ViewData(const ViewData&) = delete;
  ViewData& operator=(const ViewData&) = delete;
  ~ViewData() { Destroy(); }

  // A deep copy; borrowed strings stay borrowed.
  ViewData Clone() const;

  Type type() const {
    switch (tag_) {
      case Tag::kObject:
        return Type::kObject;
      case Tag::kList:
        return Type::kList;
      case Tag::kFalse:
        return Type::kFalse;
      case Tag::kTrue:
        return Type::kTrue;
      case Tag::kFragment:
        return Type::kFragment;
      case Tag::kWriter:
        return Type::kWriter;
      default:
        return Type::kString;
    }
  }
  bool is_object() const { return tag_ == Tag::kObject; }
  bool is_list() const { return tag_ == Tag::kList; }
  bool is_string() const {
    return tag_ == Tag::kOwned || tag_ == Tag::kInline || tag_ == Tag::kBorrowed;
  }
  bool is_borrowed() const { return tag_ == Tag::kBorrowed; }
  bool is_true() const { return tag_ == Tag::kTrue; }
  bool is_false() const { return tag_ == Tag::kFalse; }
  bool is_fragment() const { return tag_ == Tag::kFragment; }

  // Mustache truth: everything except false and the empty list (an empty
  // string or object is true).
  bool truthy() const { return tag_ != Tag::kFalse && !(tag_ == Tag::kList && list_.empty()); }

  // The text of a string; "" for any other type. Valid until this value
  // changes (or, when borrowed, as long as the borrowed text).
  std::string_view string_value() const {
    switch (tag_) {
      case Tag::kOwned:
        return owned_;
      case Tag::kInline:
        return std::string_view(inline_.chars, inline_.size);
      case Tag::kBorrowed:
        return borrowed_;
      default:
        return {};
    }
  }

  // The items of a list; empty for any other type.
  const std::vector<ViewData>& list_value() const;

  // A fragment's template and data; nullptr for any other type.
  const CompiledTemplate* fragment_template() const {
    return tag_ == Tag::kFragment ? fragment_.tmpl : nullptr;
  }
  const ViewData* fragment_data() const {
    return tag_ == Tag::kFragment ? fragment_.data : nullptr;
  }
  // Writes a Writer value's text at the end of `out`; returns false (and
  // writes nothing) for any other type.
  bool Write(std::string* out) const {
    if (tag_ != Tag::kWriter) return false;
    writer_.write(writer_.context, out);
    return true;
  }

  // The member `name` of an object; nullptr when absent or when this is not
  // an object. The pointer is valid until this object next changes. `hash`
  // must be HashName(name): callers that look the same name up often
  // compute it once.
  const ViewData* get(std::string_view name, uint32_t hash) const;
  const ViewData* get(std::string_view name) const { return get(name, HashName(name)); }
  // The same, trying the member at `*slot` first and leaving the member's
  // position there: a caller that looks the same name up in objects built
  // alike (a template rendering list items) finds it at once.
  const ViewData* get(std::string_view name, uint32_t hash, uint32_t* slot) const;

  // The member `key` of this object, added (as an empty object) when absent,
  // to be assigned or filled in place. This must be an object. The reference
  // is valid until a member is next added to this object.
  ViewData& operator[](ViewKey key);

  // Makes room for `n` members (an object) or items (a list) in all, so
  // that adding them never reallocates.
  void Reserve(size_t n);

  // Appends an empty object to this list and returns it to be filled in
  // place. This must be a list. The reference is valid until the next append.
  ViewData& AppendObject();
  // Appends `item` to this list, which must be a list.
  void Append(ViewData item);

  // Object members in insertion order; empty for any other type.
  const std::vector<Member>& members() const;

 private:
  enum class Tag : uint8_t {
    kObject,
    kList,
    kOwned,
    kInline,
    kBorrowed,
    kFalse,
    kTrue,
    kFragment,
    kWriter
  };

  struct ObjectRep {
    std::vector<Member> members;
    // One bit (hash % 64) per member name: most lookups of an absent name,
    // the common case for the optional names of a template, stop here.
    uint64_t names = 0;
    bool MayHave(uint32_t hash) const { return (names >> (hash & 63)) & 1; }
  };

  void SetText(std::string_view s) {
    if (s.size() <= kInlineCapacity) {
      tag_ = Tag::kInline;
      std::memcpy(inline_.chars, s.data(), s.size());
      inline_.size = static_cast<uint8_t>(s.size());
    } else {
      tag_ = Tag::kOwned;
      new (&owned_) std::string(s);
    }
  }
  void Destroy() noexcept;
  void MoveFrom(ViewData&& other) noexcept;

  union {
    ObjectRep object_;
    std::vector<ViewData> list_;
    std::string owned_;
    std::string_view borrowed_;
    struct {
      char chars[kInlineCapacity];
      uint8_t size;
    } inline_;
    struct {
      const CompiledTemplate* tmpl;
      ViewData* data;  // owned
    } fragment_;
    struct {
      WriteFn write;
      const void* context;  // borrowed
    } writer_;
  };
  Tag tag_;
};

struct ViewData::Member {
  Member(std::string_view k, uint32_t h) : key(k), hash(h) {}
  Member(std::string_view k, uint32_t h, ViewData v) : key(k), hash(h), value(std::move(v)) {}

  std::string_view key;  // from a ViewKey: static storage
  uint32_t hash;         // HashName(key)
  ViewData value;
};

inline void ViewData::Destroy() noexcept {
  switch (tag_) {
    case Tag::kObject:
      object_.~ObjectRep();
      break;
    case Tag::kList:
      list_.~vector();
      break;
    case Tag::kOwned:
      owned_.~basic_string();
      break;
    case Tag::kFragment:
      delete fragment_.data;
      break;
    default:
      break;
  }
}

inline void ViewData::MoveFrom(ViewData&& other) noexcept {
  tag_ = other.tag_;
  switch (tag_) {
    case Tag::kObject:
      new (&object_) ObjectRep(std::move(other.object_));
      break;
    case Tag::kList:
      new (&list_) std::vector<ViewData>(std::move(other.list_));
      break;
    case Tag::kOwned:
      new (&owned_) std::string(std::move(other.owned_));
      break;
    case Tag::kBorrowed:
      new (&borrowed_) std::string_view(other.borrowed_);
      break;
    case Tag::kInline:
      inline_ = other.inline_;
      break;
    case Tag::kFragment:
      fragment_ = other.fragment_;
      // The data has one owner: the moved-from value becomes false.
      other.tag_ = Tag::kFalse;
      break;
    case Tag::kWriter:
      writer_ = other.writer_;
      break;
    case Tag::kFalse:
    case Tag::kTrue:
      break;
  }
}

inline const ViewData* ViewData::get(std::string_view name, uint32_t hash) const {
  if (tag_ != Tag::kObject || !object_.MayHave(hash)) return nullptr;
  for (const Member& m : object_.members) {
    if (m.hash == hash && m.key == name) return &m.value;
  }
  return nullptr;
}

}  // namespace rt::web

#endif  // RT_WEB_VIEW_DATA_H_
