#include "app/demo.h"

#include <chrono>

#include "app/accounts.h"
#include "app/discussions.h"
#include "app/groups.h"

namespace rt::app {

namespace {

Group MakeGroup(int position, std::string slug, std::string name, std::string summary,
                std::string description, JoinPolicy policy = JoinPolicy::kMembersOnly) {
  Group g;
  g.slug = std::move(slug);
  g.name = std::move(name);
  g.summary = std::move(summary);
  g.description = std::move(description);
  g.join_policy = policy;
  g.visibility = policy == JoinPolicy::kOpen ? ContentVisibility::kPublic
                                             : ContentVisibility::kMembers;
  g.position = position;
  // A digest a day: what most members of a mailing list turned forum want
  // (see Group::default_delivery).
  g.default_delivery = Delivery::kDaily;
  return g;
}

struct DemoPerson {
  const char* email;
  const char* name;
  const char* title;
  const char* organisation;
  const char* who;
  int paid_through_offset_days;  // relative to today; kNoMembership for none
  bool admin;
};
constexpr int kNoMembership = 1 << 30;

}  // namespace

std::vector<Group> PlaGroups() {
  return {
      MakeGroup(1, "legislation-advocacy", "Legislation and Advocacy",
                "For members who make the case to their communities and lawmakers that "
                "libraries and library workers matter.",
                "Share what works when you speak up for your library: talking points, "
                "campaigns, testimony and the stories that moved decision makers."),
      MakeGroup(2, "data-measurement", "Data and Measurement",
                "For members building their skill with library data, assessment, "
                "evaluation and showing impact.",
                "Compare how you collect and use data, ask about surveys and dashboards, "
                "and learn how other libraries show the difference they make."),
      MakeGroup(3, "digital-literacy", "Digital Literacy",
                "For members who teach digital skills, or want their library to become a "
                "place where people learn them.",
                "Trade lesson plans, volunteer models and tools for teaching everything "
                "from first email accounts to spotting misinformation."),
      MakeGroup(4, "equity-diversity-inclusion", "Equity, Diversity, and Inclusion",
                "For members growing their own and their library's ability to act on "
                "equity, diversity and inclusion.",
                "Discuss policies, training and programmes that make libraries fairer and "
                "more welcoming, and learn from each other's experience."),
      MakeGroup(5, "family-engagement", "Family Engagement",
                "For members helping children and their families do well at school and "
                "in life.",
                "Share family programmes, partnerships with schools and ways to reach "
                "families who do not yet use the library."),
      MakeGroup(6, "health", "Health",
                "For members building consumer health services and programmes that help "
                "people find their way through health questions.",
                "Swap trusted health sources, programme ideas and partnerships with local "
                "health organisations."),
      MakeGroup(7, "immigration-citizenship", "Immigration and Citizenship",
                "For members offering accurate, useful information about immigration and "
                "citizenship.",
                "Share citizenship class models, language learning resources and ways to "
                "serve immigrant communities well."),
      MakeGroup(8, "social-work", "Social Work",
                "For anyone curious about social work in public libraries. Open to all, "
                "no association membership needed.",
                "The association's social worker task force uses this group to talk "
                "through the issues libraries face, connect people and share good "
                "practice and resources.",
                JoinPolicy::kOpen),
      MakeGroup(9, "workforce-small-business", "Workforce Development/Small Business",
                "For members starting, running and promoting workforce development or "
                "small business support in their libraries.",
                "Share job-seeker programmes, entrepreneur services and partnerships with "
                "local employers and business groups."),
  };
}

Result<DemoReport> DemoSeeder::Seed(bool with_discussions) {
  RT_ASSIGN_OR_RETURN(store::Store * db, ctx_.Db());
  RT_ASSIGN_OR_RETURN(int64_t real_accounts, db->accounts().CountAccounts(/*demo=*/false));
  if (real_accounts > 0) {
    return MakeError(ErrorKind::kRuleBroken, "not_demo_data",
                     "This database already holds real accounts; seed-demo only runs on a "
                     "fresh or demo data folder.");
  }
  TimePoint now = ctx_.Now();
  Date today = ctx_.clock->Today();

  Association pla;
  pla.slug = "pla";
  pla.name = "Public Library Association";
  pla.short_name = "PLA";
  pla.join_url = "https://www.ala.org/pla/membership";
  pla.grace_days = 30;
  RT_ASSIGN_OR_RETURN(pla, db->associations().Upsert(pla));

  DemoReport report;
  report.password = kPassword;
  std::vector<Group> groups = PlaGroups();
  RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
    for (Group& g : groups) {
      g.association_id = pla.id;
      RT_ASSIGN_OR_RETURN(g, db->groups().Upsert(g));
    }
    return OkStatus();
  }));
  report.groups = static_cast<int>(groups.size());

  const DemoPerson people[] = {
      {"admin@demo.roundtable.test", "Avery Admin", "Membership Director", "PLA", "association admin",
       kNoMembership, true},
      {"liaison@demo.roundtable.test", "Lena Liaison", "Program Manager", "PLA",
       "staff liaison of every group", kNoMembership, false},
      {"active@demo.roundtable.test", "Ana Active", "Adult Services Librarian",
       "Springfield Public Library", "member with an active membership", 300, false},
      {"grace@demo.roundtable.test", "Grant Grace", "Branch Manager", "Riverside Library",
       "member in the grace period after paid-through", -10, false},
      {"expired@demo.roundtable.test", "Eve Expired", "Teen Librarian", "Lakeview Library",
       "member whose membership ended", -120, false},
      {"visitor@demo.roundtable.test", "Nora Nonmember", "Social Worker", "City Outreach",
       "account without a membership", kNoMembership, false},
  };
  AccountsService accounts(ctx_);
  for (const DemoPerson& p : people) {
    RT_ASSIGN_OR_RETURN(std::optional<Account> existing, db->accounts().FindByEmail(p.email));
    if (!existing) {
      if (p.paid_through_offset_days != kNoMembership) {
        Membership m;
        m.association_id = pla.id;
        m.email = p.email;
        m.member_type = "Personal";
        m.paid_through = today.AddDays(p.paid_through_offset_days);
        m.source = MembershipSource::kAdmin;
        RT_RETURN_IF_ERROR(db->memberships().Insert(m, now));
      }
      RT_ASSIGN_OR_RETURN(Account a, accounts.Create({p.name, p.email, kPassword}, p.admin,
                                                     /*is_demo=*/true, /*by_operator=*/false));
      RT_RETURN_IF_ERROR(
          db->accounts().UpdateProfile(a.id, {p.name, p.title, p.organisation, ""}, now));
      existing = a;
    }
    report.logins.push_back({p.email, p.who});
    if (std::string_view(p.email) == "liaison@demo.roundtable.test") {
      RT_RETURN_IF_ERROR(db->InTransaction([&]() -> Status {
        for (const Group& g : groups) {
          RT_RETURN_IF_ERROR(db->groups().SetRole(g.id, existing->id, GroupRole::kLiaison, now));
        }
        return OkStatus();
      }));
    }
  }
  if (with_discussions) {
    RT_RETURN_IF_ERROR(SeedDiscussions(*db, pla));
    RT_RETURN_IF_ERROR(SeedCheckins(*db, pla));
  }
  return report;
}

Status DemoSeeder::SeedDiscussions(store::Store& db, const Association& pla) {
  RT_ASSIGN_OR_RETURN(std::optional<store::GroupListing> dm,
                      db.groups().FindListing(pla.id, "data-measurement"));
  if (!dm) return OkStatus();
  RT_ASSIGN_OR_RETURN(std::vector<store::ThreadListing> existing,
                      db.threads().List(dm->group.id, {}, std::nullopt, 1));
  if (!existing.empty()) return OkStatus();  // seeded before

  auto viewer = [&](const char* email) -> Result<Viewer> {
    RT_ASSIGN_OR_RETURN(std::optional<Account> a, db.accounts().FindByEmail(email));
    if (!a) return MakeError(ErrorKind::kInternal, "internal", "demo account missing");
    return Viewer{*std::move(a)};
  };
  RT_ASSIGN_OR_RETURN(Viewer ana, viewer("active@demo.roundtable.test"));
  RT_ASSIGN_OR_RETURN(Viewer grant, viewer("grace@demo.roundtable.test"));
  RT_ASSIGN_OR_RETURN(Viewer nora, viewer("visitor@demo.roundtable.test"));
  RT_ASSIGN_OR_RETURN(Viewer lena, viewer("liaison@demo.roundtable.test"));
  GroupsService groups(ctx_);
  for (const auto& [who, slug] : {std::pair{&ana, "data-measurement"},
                                  std::pair{&grant, "data-measurement"},
                                  std::pair{&ana, "social-work"},
                                  std::pair{&nora, "social-work"}}) {
    RT_RETURN_IF_ERROR(ToStatus(groups.Join(*who, slug)));
  }

  DiscussionsService d(ctx_);
  RT_ASSIGN_OR_RETURN(Created welcome,
                      d.StartThread(lena, "data-measurement",
                                    {"discussion", "Welcome: introduce yourself",
                                     "Tell us where you work and what you measure today. "
                                     "What would you like to measure better this year?",
                                     ""},
                                    PostVia::kWeb, ""));
  RT_RETURN_IF_ERROR(d.SetPinned(lena, welcome.thread, true));
  RT_ASSIGN_OR_RETURN(Created q,
                      d.StartThread(ana, "data-measurement",
                                    {"question", "How do you measure the impact of storytime?",
                                     "We count attendance, but our board asks what changes "
                                     "for families. Has anyone tried a short survey or an "
                                     "observation checklist?",
                                     ""},
                                    PostVia::kWeb, ""));
  RT_ASSIGN_OR_RETURN(Created answer,
                      d.Reply(grant, q.thread,
                              "We ask caregivers three questions at the door every spring:\n\n"
                              "1. Did your child try a new early-literacy activity at home?\n"
                              "2. Do you feel more confident reading aloud?\n"
                              "3. Did you learn about another library service?\n\n"
                              "It takes two minutes and the board loved the results.",
                              PostId{}, PostVia::kWeb, ""));
  RT_RETURN_IF_ERROR(d.AcceptAnswer(ana, q.thread, answer.post));
  RT_RETURN_IF_ERROR(ToStatus(d.Recommend(ana, answer.post, true)));
  return ToStatus(d.StartThread(nora, "social-work",
                                    {"story", "A patron found housing in a week",
                                     "Our library social worker met a patron at the reference "
                                     "desk on Monday. By Friday they had a place to stay. "
                                     "Small things made it work: a quiet room and a warm "
                                     "hand-off from the desk staff.",
                                     "public"},
                                    PostVia::kWeb, ""));
}

Status DemoSeeder::SeedCheckins(store::Store& db, const Association& pla) {
  RT_ASSIGN_OR_RETURN(std::optional<store::GroupListing> dm,
                      db.groups().FindListing(pla.id, "data-measurement"));
  if (!dm) return OkStatus();
  RT_ASSIGN_OR_RETURN(std::vector<OutcomeStatement> statements, db.checkins().Statements(pla.id));
  struct Answers {
    const char* name;
    int values[8];
    const char* learned;
    const char* improve;
    bool quote;
  };
  // What seven members said in their first check-in, two months ago.
  const Answers said[] = {
      {"Priya Patel",
       {4, 5, 4, 4, 5, 4, 3, 4},
       "How to write survey questions that are not leading.",
       "More sessions in the evening.",
       true},
      {"Marcus Lee", {3, 4, 5, 4, 4, 3, 3, 3}, "", "A shared folder of survey templates.", false},
      {"Sofia Garcia",
       {5, 4, 4, 5, 5, 5, 4, 4},
       "I used the storytime survey idea at my branch.",
       "",
       true},
      {"Tom Okafor", {2, 3, 3, 3, 4, 2, 2, 3}, "", "", false},
      {"June Park", {4, 4, 5, 4, 3, 4, 5, 4}, "Counting is not the same as measuring.", "", false},
      {"Dana Whitfield", {3, 3, 4, 3, 4, 3, 3, 2}, "", "Examples from small libraries.", false},
      {"Luis Romero", {5, 5, 4, 4, 4, 4, 4, 5}, "", "", false},
  };
  const TimePoint now = ctx_.Now();
  return db.InTransaction([&]() -> Status {
    int n = 0;
    for (const Answers& a : said) {
      ++n;
      const std::string email = "checkin" + std::to_string(n) + "@demo.roundtable.test";
      RT_ASSIGN_OR_RETURN(std::optional<Account> existing, db.accounts().FindByEmail(email));
      if (existing) return OkStatus();  // seeded before
      // "!" is no Argon2id hash: nobody can sign in as them.
      RT_ASSIGN_OR_RETURN(Account acc,
                          db.accounts().Create({email, a.name, "!", false, true, true}, now));
      RT_ASSIGN_OR_RETURN(bool added,
                          db.groups().AddMember(dm->group.id, acc.id, GroupRole::kMember,
                                                now - std::chrono::days(120)));
      (void)added;
      store::Checkin c;
      c.group = dm->group.id;
      c.account = acc.id;
      c.moment = CheckinMoment::kImmediate;
      c.state = CheckinState::kAnswered;
      c.quote_consent = a.quote;
      c.created_at = now - std::chrono::days(62 + n);
      for (size_t i = 0; i < statements.size() && i < 8; ++i) {
        c.answers.push_back({statements[i].id, statements[i].text, a.values[i], ""});
      }
      if (*a.learned)
        c.answers.push_back({"learned", "What did you learn or apply?", 0, a.learned});
      if (*a.improve) {
        c.answers.push_back({"improve", "What would make this group more useful?", 0, a.improve});
      }
      RT_RETURN_IF_ERROR(ToStatus(db.checkins().Record(c)));
    }
    return OkStatus();
  });
}

}  // namespace rt::app
