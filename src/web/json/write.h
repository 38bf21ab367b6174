#ifndef RT_WEB_JSON_WRITE_H_
#define RT_WEB_JSON_WRITE_H_

#include <string>

#include <nlohmann/json.hpp>

namespace rt::web::json {

// Appends `value` as compact JSON text to `out`: the same text as
// nlohmann::json::dump() for valid UTF-8 (keys in the object's order,
// strings escaped only where JSON requires: quote, backslash and control
// characters; other characters written as UTF-8), but several times faster
// on long strings, which is what API responses carry (post bodies). A byte
// sequence that is not UTF-8 becomes U+FFFD instead of an exception, so a
// response is always valid JSON. Thread-safe (no state).
void AppendJson(const nlohmann::json& value, std::string* out);

// AppendJson into a new string.
std::string WriteJson(const nlohmann::json& value);

}  // namespace rt::web::json

#endif  // RT_WEB_JSON_WRITE_H_
