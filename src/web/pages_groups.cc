// Interest group pages: the groups list, a group, joining, leaving, members.
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

http::Response WebApp::HomePage(RequestContext& c) {
  auto page = groups_.List(c.viewer);
  if (!page.ok()) return Fail(c, page.error());
  // The data borrows from `page` and `texts`, which outlive the rendering.
  const Association& assoc = page->association;
  const std::string& short_name = assoc.short_name.empty() ? assoc.name : assoc.short_name;
  Data d;
  d["association"] = Data::Borrow(assoc.name);
  d["short_name"] = Data::Borrow(short_name);
  if (!c.session) d["signed_out"] = true;
  if (page->standing.state == MembershipStanding::State::kExpired) {
    d["expired_on"] = page->standing.ended_on.Long();
    if (!assoc.join_url.empty()) d["join_url"] = Data::Borrow(assoc.join_url);
  }
  AssociationTexts texts(assoc);
  Data groups = Data::List(page->groups.size());
  for (const app::GroupView& g : page->groups) {
    FillGroupData(groups.AppendObject(), g, texts, c.Csrf(), "");
  }
  d["groups"] = std::move(groups);
  if (page->groups.empty()) d["no_groups"] = true;
  d["title"] = short_name + " Interest Groups";
  return Page(c, 200, "All interest groups", Templates::Fragment("home", std::move(d)));
}

http::Response WebApp::JoinForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  auto r = groups_.Join(c.viewer, slug);
  if (!r.ok()) return Fail(c, r.error());
  return Redirect("/groups/" + slug + "?notice=" + (r->joined_now ? "joined" : "already_member"));
}

http::Response WebApp::LeaveForm(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  if (!c.session) return Redirect("/signin?next=" + text::PercentEncode("/groups/" + slug));
  auto r = groups_.Leave(c.viewer, slug);
  if (!r.ok()) return Fail(c, r.error());
  return Redirect("/groups/" + slug + "?notice=left");
}

http::Response WebApp::MembersPage(RequestContext& c) {
  std::string slug(c.req.Param("slug"));
  std::optional<store::MemberCursor> after;
  if (std::string a = c.req.QueryParam("after"); !a.empty()) {
    after = DecodeCursor(a);
    if (!after) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_cursor",
                               "That page link is not valid. Start again from the first page."));
    }
  }
  auto page = groups_.Members(c.viewer, slug, after);
  if (!page.ok()) {
    // A visitor who may not see the list is shown the group page's way in.
    if (page.error().kind == ErrorKind::kForbidden) {
      Data d;
      d["title"] = "Members";
      d["message"] = page.error().message;
      d["back"] = "/groups/" + slug;
      return Page(c, 403, "Members", Templates::Fragment("error", std::move(d)));
    }
    return Fail(c, page.error());
  }
  Data d;
  const Group& grp = page->group.listing.group;
  d["name"] = grp.name;
  d["slug"] = grp.slug;
  d["member_count"] = CountText(page->group.listing.member_count, "member", "members");
  Data members = Data::List(page->members.size());
  for (const store::MemberListing& m : page->members) {
    Data& md = members.AppendObject();
    md["name"] = m.account.name;
    std::string detail = m.account.job_title;
    if (!m.account.organisation.empty()) {
      detail += (detail.empty() ? "" : ", ") + m.account.organisation;
    }
    if (!m.account.location.empty()) detail += (detail.empty() ? "" : " · ") + m.account.location;
    if (!detail.empty()) md["detail"] = detail;
    if (m.role == GroupRole::kLiaison) md["badge"] = "Staff liaison";
    if (m.role == GroupRole::kModerator) md["badge"] = "Moderator";
    md["joined"] = Date::FromTime(m.joined_at).Long();
    md["joined_iso"] = FormatIsoTime(m.joined_at);
  }
  if (members.list_value().empty()) d["empty"] = true;
  d["members"] = std::move(members);
  if (page->next) d["next"] = "/groups/" + slug + "/members?after=" + EncodeCursor(*page->next);
  if (after) d["first"] = "/groups/" + slug + "/members";
  return Page(c, 200, "Members — " + grp.name, Templates::Fragment("members", std::move(d)));
}

}  // namespace rt::web
