#include "web/json/shapes.h"

namespace rt::web::json {

nlohmann::json AccountJson(const Account& a, bool private_fields) {
  nlohmann::json j = {{"id", a.id.value},
                      {"name", a.name},
                      {"job_title", a.job_title},
                      {"organisation", a.organisation},
                      {"location", a.location}};
  if (private_fields) {
    j["email"] = a.email;
    j["is_admin"] = a.is_admin;
  }
  return j;
}

nlohmann::json GroupJson(const app::GroupView& g) {
  const Group& grp = g.listing.group;
  nlohmann::json liaison = nullptr;
  if (g.listing.liaison) {
    liaison = {{"name", g.listing.liaison->name}, {"title", g.listing.liaison->job_title}};
  }
  bool member = g.is_member();
  return {{"slug", grp.slug},
          {"name", grp.name},
          {"summary", grp.summary},
          {"description", grp.description},
          {"join_policy", ToString(grp.join_policy)},
          {"visibility", ToString(grp.visibility)},
          {"member_count", g.listing.member_count},
          {"liaison", liaison},
          {"viewer",
           {{"is_member", member},
            {"role", ToString(g.viewer_role)},
            {"can_join", g.join.allowed && !member},
            {"can_leave", g.leave.allowed},
            {"reason", g.join.reason},
            {"message", g.join_message}}}};
}

nlohmann::json MemberJson(const store::MemberListing& m) {
  return {{"name", m.account.name},
          {"job_title", m.account.job_title},
          {"organisation", m.account.organisation},
          {"location", m.account.location},
          {"role", ToString(m.role)},
          {"joined_at", FormatIsoTime(m.joined_at)}};
}

}  // namespace rt::web::json
