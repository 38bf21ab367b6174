#ifndef RT_WEB_JSON_SHAPES_H_
#define RT_WEB_JSON_SHAPES_H_

#include <nlohmann/json.hpp>

#include "app/groups.h"
#include "domain/accounts/account.h"
#include "store/store.h"

// The JSON shapes of /api/v1. Changing a field name breaks clients.
namespace rt::web::json {

// {"id","name","job_title","organisation","location"} plus "email" and
// "is_admin" when `private_fields` (the account's own view).
nlohmann::json AccountJson(const Account& a, bool private_fields);

// {"slug","name","summary","description","join_policy","visibility",
//  "member_count","liaison":{"name","title"}|null,
//  "viewer":{"is_member","role","can_join","can_leave","reason","message"}}
nlohmann::json GroupJson(const app::GroupView& g);

// {"name","job_title","organisation","location","role","joined_at"}
nlohmann::json MemberJson(const store::MemberListing& m);

}  // namespace rt::web::json

#endif  // RT_WEB_JSON_SHAPES_H_
