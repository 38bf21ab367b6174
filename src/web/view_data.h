#ifndef RT_WEB_VIEW_DATA_H_
#define RT_WEB_VIEW_DATA_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rt::web {

// The name of a member of a ViewData object. It can only be made from a
// string known at compile time (a literal, or a constexpr table of them), so
// objects store the name as a view and never copy or free it.
class ViewKey {
 public:
  consteval ViewKey(const char* name) : name_(name) {}  // NOLINT: implicit on purpose
  constexpr std::string_view name() const { return name_; }

 private:
  std::string_view name_;
};

// The data a Mustache template is rendered with (web/template_engine.h): an
// object (named members in insertion order), a list, a string, or
// true/false. Built by one handler for one render, so it favours cheap
// building over everything else: an object is a small vector searched
// linearly (ours have at most a few dozen members), moves never allocate,
// and list items and members are built in place.
//
// Borrowed strings (Borrow) are not copied: the viewed characters must stay
// alive and unchanged until the last render of this data (or of any data it
// is moved into) has returned. Use them only for text owned by something the
// handler keeps for the whole request, such as the page a service returned
// or a fragment rendered earlier in the same handler.
//
// Copying is explicit (Clone) so that deep copies never happen by accident.
// Not thread-safe to modify; a finished value may be rendered by any number
// of threads at once.
class ViewData {
 public:
  enum class Type : uint8_t { kObject, kList, kString, kBorrowed, kFalse, kTrue };
  struct Member;

  // An empty object.
  ViewData() noexcept : type_(Type::kObject) { new (&object_) std::vector<Member>(); }
  ViewData(bool b) noexcept : type_(b ? Type::kTrue : Type::kFalse) {}  // NOLINT
  ViewData(std::string s) noexcept : type_(Type::kString) {              // NOLINT
    new (&string_) std::string(std::move(s));
  }
  ViewData(std::string_view s) : ViewData(std::string(s)) {}  // NOLINT
  ViewData(const char* s) : ViewData(std::string(s)) {}       // NOLINT
  // Numbers are not Mustache values: say which text to show instead.
  template <typename T>
    requires std::is_arithmetic_v<T> && (!std::is_same_v<T, bool>)
  ViewData(T) = delete;
  // Nor are pointers, which would otherwise quietly become true.
  template <typename T>
    requires(!std::is_same_v<std::remove_cv_t<T>, char>)
  ViewData(T*) = delete;

  // A string that views `s` instead of copying it; see the class comment for
  // how long `s` must live.
  static ViewData Borrow(std::string_view s) noexcept {
    ViewData d(false);
    d.type_ = Type::kBorrowed;
    new (&d.borrowed_) std::string_view(s);
    return d;
  }
  // An empty list with room for `n` items (appending up to `n` never
  // reallocates).
  static ViewData List(size_t n = 0);

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

  Type type() const { return type_; }
  bool is_object() const { return type_ == Type::kObject; }
  bool is_list() const { return type_ == Type::kList; }
  bool is_string() const { return type_ == Type::kString || type_ == Type::kBorrowed; }
  bool is_true() const { return type_ == Type::kTrue; }
  bool is_false() const { return type_ == Type::kFalse; }

  // Mustache truth: everything except false and the empty list (an empty
  // string or object is true).
  bool truthy() const {
    return type_ != Type::kFalse && !(type_ == Type::kList && list_.empty());
  }

  // The text of a string (owned or borrowed); "" for any other type.
  std::string_view string_value() const {
    if (type_ == Type::kString) return string_;
    if (type_ == Type::kBorrowed) return borrowed_;
    return {};
  }

  // The items of a list; empty for any other type.
  const std::vector<ViewData>& list_value() const;

  // The member `name` of an object; nullptr when absent or when this is not
  // an object. The pointer is valid until this object next changes.
  const ViewData* get(std::string_view name) const;

  // The member `key` of this object, added (as an empty object) when absent,
  // to be assigned or filled in place. This must be an object. The reference
  // is valid until a member is next added to this object.
  ViewData& operator[](ViewKey key);

  // Appends an empty object to this list and returns it to be filled in
  // place. This must be a list. The reference is valid until the next append.
  ViewData& AppendObject();
  // Appends `item` to this list, which must be a list.
  void Append(ViewData item);

  // Object members in insertion order; empty for any other type.
  const std::vector<Member>& members() const;

 private:
  void Destroy() noexcept;
  void MoveFrom(ViewData&& other) noexcept;

  Type type_;
  union {
    std::vector<Member> object_;
    std::vector<ViewData> list_;
    std::string string_;
    std::string_view borrowed_;
  };
};

struct ViewData::Member {
  std::string_view key;  // from a ViewKey: static storage
  ViewData value;
};

inline void ViewData::Destroy() noexcept {
  switch (type_) {
    case Type::kObject: object_.~vector(); break;
    case Type::kList: list_.~vector(); break;
    case Type::kString: string_.~basic_string(); break;
    case Type::kBorrowed:
    case Type::kFalse:
    case Type::kTrue: break;
  }
}

inline void ViewData::MoveFrom(ViewData&& other) noexcept {
  type_ = other.type_;
  switch (type_) {
    case Type::kObject: new (&object_) std::vector<Member>(std::move(other.object_)); break;
    case Type::kList: new (&list_) std::vector<ViewData>(std::move(other.list_)); break;
    case Type::kString: new (&string_) std::string(std::move(other.string_)); break;
    case Type::kBorrowed: new (&borrowed_) std::string_view(other.borrowed_); break;
    case Type::kFalse:
    case Type::kTrue: break;
  }
}

inline const ViewData* ViewData::get(std::string_view name) const {
  if (type_ != Type::kObject) return nullptr;
  for (const Member& m : object_) {
    if (m.key.size() == name.size() && m.key == name) return &m.value;
  }
  return nullptr;
}

}  // namespace rt::web

#endif  // RT_WEB_VIEW_DATA_H_
