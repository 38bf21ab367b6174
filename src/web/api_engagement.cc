// The JSON API of the engagement figures (issue 7):
// GET /api/v1/groups/{slug}/engagement?from=&to= for a group's staff, and
// GET /api/v1/association/engagement?from=&to=&sort= for association admins.
#include "app/engagement.h"
#include "web/engagement_view.h"
#include "web/views.h"
#include "web/web_app.h"

namespace rt::web {

namespace {

nlohmann::json PeriodJson(const app::Period& p) {
  return {{"from", p.from.Iso()}, {"to", p.to.Iso()}};
}

}  // namespace

http::Response WebApp::ApiGroupEngagement(RequestContext& c) {
  auto r = RequestedGroupEngagement(c);
  if (!r.ok()) return Fail(c, r.error());
  nlohmann::json months = nlohmann::json::array();
  for (const app::MonthFigures& m : r->months) {
    nlohmann::json one = FiguresJson(m.figures);
    one["month"] = m.month;
    months.push_back(std::move(one));
  }
  const Group& g = r->group.listing.group;
  return Json(200, {{"group", {{"slug", g.slug}, {"name", g.name}}},
                    {"period", PeriodJson(r->period)},
                    {"totals", FiguresJson(r->totals)},
                    {"months", std::move(months)}});
}

http::Response WebApp::ApiAssociationEngagement(RequestContext& c) {
  if (Status may = engagement_.MaySeeAssociation(c.viewer); !may.ok()) {
    return Fail(c, may.error());
  }
  auto period = RequestedPeriod(c);
  if (!period.ok()) return Fail(c, period.error());
  auto all = engagement_.ForAssociation(c.viewer, *period, c.req.QueryParam("sort"));
  if (!all.ok()) return Fail(c, all.error());
  nlohmann::json groups = nlohmann::json::array();
  for (const app::GroupEngagementRow& row : all->groups) {
    nlohmann::json one = FiguresJson(row.totals);
    one["slug"] = row.listing.group.slug;
    one["name"] = row.listing.group.name;
    groups.push_back(std::move(one));
  }
  return Json(
      200,
      {{"period", PeriodJson(all->period)}, {"sort", all->sort}, {"groups", std::move(groups)}});
}

}  // namespace rt::web
