#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_util.h"

namespace rt::store::sqlite {

Result<std::string> SqliteSecrets::Get(const std::string& name) {
  return Guard([&]() -> Result<std::string> {
    Stmt s = c_.Prepare("SELECT value FROM app_secrets WHERE name = ?");
    s->bind(1, name);
    if (!s->executeStep()) {
      return MakeError(ErrorKind::kNotFound, "secret_not_found", "No secret named " + name);
    }
    SQLite::Column v = s->getColumn(0);
    return std::string(static_cast<const char*>(v.getBlob()), static_cast<size_t>(v.getBytes()));
  });
}

}  // namespace rt::store::sqlite
