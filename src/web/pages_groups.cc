// Interest group pages: the groups list, a group, joining, leaving, members.
#include <algorithm>

#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

// The directory shows this many groups a page: a whole small association on
// one page, and a large one (the benchmark has 200 groups) in pages a
// reader can scan and a browser can render quickly.
constexpr size_t kGroupsPerPage = 50;

// Links to every page of the directory, for the pager under the list.
Data PagerData(std::string_view base, size_t page, size_t pages) {
  Data d;
  auto href = [&](size_t n) {
    return n == 1 ? std::string(base) : std::string(base) + "?page=" + std::to_string(n);
  };
  Data links = Data::List(pages);
  for (size_t n = 1; n <= pages; ++n) {
    Data& l = links.AppendObject();
    l["number"] = std::to_string(n);
    l["href"] = href(n);
    if (n == page) l["current"] = true;
  }
  d["pages"] = std::move(links);
  if (page > 1) d["prev"] = href(page - 1);
  if (page < pages) d["next"] = href(page + 1);
  return d;
}

}  // namespace

http::Response WebApp::HomePage(RequestContext& c) {
  // Signed out, the directory is the same for everyone: serve the page as
  // rendered while the listings version stands (web/page_cache.h).
  int64_t version = 0;
  if (!c.session) {
    auto v = groups_.ListingsVersion();
    if (v.ok()) version = *v;
    if (auto hit = page_cache_.Find(c.req.target, version)) return std::move(*hit);
  }
  size_t page_no = 1;
  if (std::string p = c.req.QueryParam("page"); !p.empty()) {
    std::optional<int64_t> n = ParseId(p);
    if (!n || *n > 100000) {
      return Fail(c, MakeError(ErrorKind::kInvalidInput, "invalid_page",
                               "That page number is not valid. Start from the first page.",
                               "page"));
    }
    page_no = static_cast<size_t>(*n);
  }
  auto page = groups_.List(c.viewer);
  if (!page.ok()) return Fail(c, page.error());
  const size_t total = page->groups.size();
  const size_t pages = total == 0 ? 1 : (total + kGroupsPerPage - 1) / kGroupsPerPage;
  if (page_no > pages) {
    return Fail(c, MakeError(ErrorKind::kNotFound, "not_found",
                             "The group list has " + CountText(pages, "page", "pages") +
                                 ". Start from the first page."));
  }
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
  AddMailPausedNotice(c, d);
  AssociationTexts texts(assoc);
  const size_t first = (page_no - 1) * kGroupsPerPage;
  const size_t last = std::min(total, first + kGroupsPerPage);
  Data groups = Data::List(last - first);
  for (size_t i = first; i < last; ++i) {
    FillGroupData(groups.AppendObject(), page->groups[i], texts, c.Csrf(), "");
  }
  d["groups"] = std::move(groups);
  if (total == 0) d["no_groups"] = true;
  std::string title = "All interest groups";
  if (pages > 1) {
    d["showing"] = "Groups " + std::to_string(first + 1) + " to " + std::to_string(last) +
                   " of " + std::to_string(total);
    d["pager"] = PagerData(c.req.path, page_no, pages);
    title += " — page " + std::to_string(page_no) + " of " + std::to_string(pages);
  }
  d["title"] = short_name + " Interest Groups";
  http::Response r = Page(c, 200, title, Templates::Fragment("home", std::move(d)));
  if (!c.session) page_cache_.Keep(c.req.target, version, r);
  return r;
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
