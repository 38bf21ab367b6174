#include "generate_text.h"

#include <array>
#include <cctype>
#include <string_view>

#include "domain/discussions/markdown.h"

namespace rt::bench {

namespace {

template <typename T, size_t N>
const T& Pick(Rng& rng, const std::array<T, N>& items) {
  return items[rng() % N];
}

constexpr std::array<std::string_view, 64> kFirstNames = {
    "Aaliyah", "Aaron",  "Abigail", "Adrian",  "Aisha",   "Alex",    "Amara",  "Andre",
    "Ana",     "Ben",    "Bianca",  "Carlos",  "Chen",    "Chloe",   "Daniel", "Deja",
    "Diego",   "Elena",  "Eli",     "Emily",   "Fatima",  "Felix",   "Grace",  "Hana",
    "Hector",  "Imani",  "Isaac",   "Jada",    "James",   "Jamal",   "Jin",    "Julia",
    "Kai",     "Keisha", "Laura",   "Leo",     "Lila",    "Luis",    "Maya",   "Mei",
    "Miguel",  "Nadia",  "Nate",    "Nia",     "Noah",    "Olivia",  "Omar",   "Priya",
    "Quinn",   "Rafael", "Rosa",    "Ruth",    "Sam",     "Sara",    "Sofia",  "Tariq",
    "Tess",    "Tomas",  "Uma",     "Victor",  "Wanda",   "Xavier",  "Yara",   "Zoe"};

constexpr std::array<std::string_view, 64> kLastNames = {
    "Abbott",  "Adams",    "Ahmed",   "Alvarez", "Baker",   "Bell",     "Brooks",  "Chang",
    "Chavez",  "Clark",    "Cohen",   "Collins", "Davis",   "Diaz",     "Edwards", "Evans",
    "Fischer", "Foster",   "Garcia",  "Gomez",   "Gray",    "Green",    "Hall",    "Harris",
    "Hayes",   "Hughes",   "Ito",     "Jackson", "Johnson", "Kaur",     "Kelly",   "Kim",
    "Lee",     "Lopez",    "Martin",  "Mendez",  "Miller",  "Morales",  "Murphy",  "Nguyen",
    "Novak",   "Okafor",   "Ortiz",   "Patel",   "Perez",   "Price",    "Reed",    "Reyes",
    "Rivera",  "Roberts",  "Sanchez", "Schmidt", "Shah",    "Singh",    "Smith",   "Tanaka",
    "Taylor",  "Thompson", "Turner",  "Walker",  "Wang",    "Williams", "Wright",  "Young"};

constexpr std::array<std::string_view, 16> kJobTitles = {
    "Adult Services Librarian",   "Branch Manager",
    "Children's Librarian",       "Library Director",
    "Outreach Coordinator",       "Teen Services Librarian",
    "Reference Librarian",        "Technology Trainer",
    "Community Engagement Lead",  "Assistant Director",
    "Collection Development Lead", "Library Social Worker",
    "Data Analyst",               "Programming Coordinator",
    "Digital Navigator",          "Literacy Specialist"};

constexpr std::array<std::string_view, 32> kPlaces = {
    "Springfield", "Riverside",  "Lakeview",   "Fairview",  "Greenville", "Madison",
    "Franklin",    "Clinton",    "Georgetown", "Salem",     "Oakland",    "Ashland",
    "Burlington",  "Dover",      "Hudson",     "Kingston",  "Lexington",  "Milford",
    "Newport",     "Oxford",     "Plymouth",   "Richmond",  "Troy",       "Auburn",
    "Bristol",     "Canton",     "Dayton",     "Eugene",    "Fresno",     "Helena",
    "Jackson",     "Laramie"};

constexpr std::array<std::string_view, 16> kStates = {"OH", "CA", "TX", "NY", "IL", "WA",
                                                      "GA", "MN", "CO", "PA", "MI", "NC",
                                                      "OR", "AZ", "MA", "WI"};

constexpr std::array<std::string_view, 4> kOrgKinds = {
    "Public Library", "County Library", "Library District", "City Library"};

// Topics for the generated groups and for titles.
constexpr std::array<std::string_view, 64> kTopics = {
    "Rural Libraries",        "Teen Services",          "Makerspaces",
    "Early Literacy",         "Adult Education",        "Library Marketing",
    "Strategic Planning",     "Grant Writing",          "Library Boards",
    "Collection Development", "Digital Equity",         "Outreach Services",
    "Summer Reading",         "Seniors and Aging",      "Mental Health",
    "Library Facilities",     "Staff Development",      "Technology Training",
    "Local History",          "Community Partnerships", "Volunteer Programs",
    "Library Security",       "Accessibility",          "Readers' Advisory",
    "Homework Help",          "Job Seekers",            "Financial Literacy",
    "Climate and Resilience", "Library Foundations",    "Bookmobiles",
    "Gaming in Libraries",    "Music and Arts",         "Film Programs",
    "Author Events",          "Book Clubs",             "Intellectual Freedom",
    "Privacy",                "Open Data",              "Library Apps",
    "Web Services",           "Social Media",           "Customer Service",
    "Library Design",         "Green Libraries",        "Disaster Planning",
    "Food Security",          "Housing Resources",      "Veterans Services",
    "Native Communities",     "Language Learning",      "Multilingual Services",
    "Library Law",            "Budgeting",              "Performance Reviews",
    "New Directors",          "Middle Managers",        "Library Unions",
    "Student Outreach",       "School Partnerships",    "STEM Programs",
    "Health Literacy",        "Museum Passes",          "Seed Libraries",
    "Tool Libraries"};

constexpr std::array<std::string_view, 4> kRegions = {"", "Northeast", "Midwest", "West"};

constexpr std::array<std::string_view, 48> kObjects = {
    "storytime",         "digital navigators",   "board reports",     "patron surveys",
    "circulation data",  "outreach vans",        "ESL classes",       "job fairs",
    "summer reading",    "maker kits",           "hotspot lending",   "teen advisory boards",
    "volunteer tutors",  "citizenship classes",  "health fairs",      "budget hearings",
    "social workers",    "library cards",        "fine-free policies", "meeting rooms",
    "homework help",     "coding clubs",         "senior tech help",  "book clubs",
    "program evaluation", "annual reports",      "strategic plans",   "community surveys",
    "partner agencies",  "grant applications",   "staff training",    "dashboards",
    "after-school programs", "voter registration", "tax help",        "small business workshops",
    "resume reviews",    "literacy tutoring",    "family nights",     "food pantries",
    "bookmobile routes", "patron privacy",       "self-checkout",     "loanable tech",
    "local history projects", "author visits",   "sensory storytime", "library apps"};

constexpr std::array<std::string_view, 160> kWords = {
    "library",    "patrons",     "community",  "program",    "staff",      "board",
    "budget",     "families",    "children",   "teens",      "seniors",    "partners",
    "outreach",   "branch",      "collection", "survey",     "data",       "impact",
    "results",    "attendance",  "workshop",   "training",   "volunteers", "grant",
    "funding",    "schedule",    "materials",  "feedback",   "questions",  "goals",
    "services",   "resources",   "space",      "evening",    "weekend",    "morning",
    "session",    "series",      "pilot",      "plan",       "report",     "meeting",
    "council",    "school",      "county",     "city",       "state",      "agency",
    "clinic",     "shelter",     "neighbors",  "readers",    "learners",   "caregivers",
    "toddlers",   "parents",     "tutors",     "mentors",    "coaches",    "experts",
    "we",         "they",        "our",        "their",      "this",       "that",
    "every",      "some",        "many",       "few",        "most",       "each",
    "tried",      "started",     "launched",   "measured",   "counted",    "asked",
    "learned",    "shared",      "built",      "changed",    "improved",   "expanded",
    "reduced",    "added",       "moved",      "tested",     "offered",    "hosted",
    "found",      "noticed",     "planned",    "reviewed",   "updated",    "scheduled",
    "really",     "quickly",     "slowly",     "finally",    "usually",    "often",
    "rarely",     "always",      "together",   "again",      "already",    "still",
    "small",      "large",       "new",        "old",        "local",      "regional",
    "simple",     "useful",      "helpful",    "hard",       "easy",       "clear",
    "busy",       "quiet",       "popular",    "free",       "short",      "long",
    "with",       "for",         "from",       "about",      "after",      "before",
    "during",     "through",     "without",    "between",    "around",     "across",
    "and",        "but",         "so",         "because",    "when",       "while",
    "the",        "a",           "the",        "a",          "the",        "an",
    "of",         "to",          "in",         "on",         "at",         "by",
    "is",         "was",         "are",        "were"};

constexpr std::array<std::string_view, 12> kOneLiners = {
    "Thanks, this is really helpful!",
    "+1 to all of this.",
    "We tried the same thing last year and it worked well.",
    "Following this thread, we have the same question.",
    "Great idea, I'm going to share this with our board.",
    "Could you share the template you used?",
    "This matches what we saw at our branch too.",
    "Thank you for posting the results.",
    "Same here. Happy to compare notes offline.",
    "Bookmarking this for our next planning meeting.",
    "**Yes.** This is exactly what we needed.",
    "Love this, *thank you* for writing it up."};

std::string Capitalised(std::string_view w) {
  std::string s(w);
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string Sentence(Rng& rng) {
  int n = static_cast<int>(UniformInt(rng, 6, 18));
  std::string s;
  for (int i = 0; i < n; ++i) {
    std::string_view w = Pick(rng, kWords);
    std::string word = i == 0 ? Capitalised(w) : std::string(w);
    if (i > 0) s += ' ';
    uint64_t r = rng() % 100;
    if (i > 0 && r < 3) {
      s += "*" + word + "*";
    } else if (i > 0 && r < 5) {
      s += "**" + word + "**";
    } else if (i > 0 && r < 6) {
      s += "`" + word + "`";
    } else if (i > 0 && r < 7) {
      s += "[" + word + " " + std::string(Pick(rng, kWords)) + "](https://example.org/" +
           std::string(Pick(rng, kWords)) + "/" + std::to_string(rng() % 1000) + ")";
    } else {
      s += word;
    }
  }
  static constexpr std::array<std::string_view, 8> kEnds = {".", ".", ".", ".",
                                                           ".", "?", "!", "."};
  s += Pick(rng, kEnds);
  return s;
}

std::string Paragraph(Rng& rng, int min_sentences, int max_sentences) {
  int n = static_cast<int>(UniformInt(rng, min_sentences, max_sentences));
  std::string p;
  for (int i = 0; i < n; ++i) {
    if (i > 0) p += ' ';
    p += Sentence(rng);
  }
  return p;
}

std::string List(Rng& rng, bool numbered) {
  int n = static_cast<int>(UniformInt(rng, 2, 6));
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += numbered ? std::to_string(i + 1) + ". " : "- ";
    out += Capitalised(Pick(rng, kObjects));
    if (rng() % 2) out += ": " + Sentence(rng);
    out += '\n';
  }
  return out;
}

std::string Table(Rng& rng) {
  std::string out = "| Programme | Sessions | Attendance |\n| --- | ---: | ---: |\n";
  int rows = static_cast<int>(UniformInt(rng, 2, 6));
  for (int i = 0; i < rows; ++i) {
    out += "| " + Capitalised(Pick(rng, kObjects)) + " | " +
           std::to_string(UniformInt(rng, 1, 60)) + " | " +
           std::to_string(UniformInt(rng, 5, 2500)) + " |\n";
  }
  return out;
}

std::string RandomName(Rng& rng) {
  return std::string(Pick(rng, kFirstNames)) + " " + std::string(Pick(rng, kLastNames));
}

}  // namespace

Person RandomPerson(Rng& rng) {
  Person p;
  p.name = RandomName(rng);
  p.job_title = std::string(Pick(rng, kJobTitles));
  std::string_view place = Pick(rng, kPlaces);
  p.organisation = std::string(place) + " " + std::string(Pick(rng, kOrgKinds));
  p.location = std::string(place) + ", " + std::string(Pick(rng, kStates));
  return p;
}

GroupText GeneratedGroupText(int position) {
  size_t i = static_cast<size_t>(position - 10);
  std::string_view topic = kTopics[i % kTopics.size()];
  std::string_view region = kRegions[(i / kTopics.size()) % kRegions.size()];
  GroupText g;
  g.name = std::string(topic);
  if (!region.empty()) g.name += " (" + std::string(region) + ")";
  std::string lower = std::string(topic);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  g.summary = "For members working on " + lower + " in their libraries.";
  g.description = "Share what works in " + lower +
                  ": programmes, policies, partners and the numbers behind them. "
                  "Ask questions and learn from colleagues facing the same challenges.";
  return g;
}

std::string RandomTitle(Rng& rng, TitleKind kind) {
  std::string o(Pick(rng, kObjects));
  std::string t(Pick(rng, kTopics));
  switch (kind) {
    case TitleKind::kQuestion: {
      switch (rng() % 5) {
        case 0: return "How do you measure the impact of " + o + "?";
        case 1: return "Has anyone tried " + o + " with a small team?";
        case 2: return "What tools do you use for " + o + "?";
        case 3: return "Looking for advice on " + o + " and " + std::string(Pick(rng, kObjects));
        default: return "Question about " + o + " (" + t + ")";
      }
    }
    case TitleKind::kStory: {
      switch (rng() % 4) {
        case 0: return "How " + o + " changed our " + std::string(Pick(rng, kPlaces)) + " branch";
        case 1: return "A small win with " + o;
        case 2: return "What happened when we tried " + o;
        default: return "Story: " + Capitalised(o) + " in " + std::string(Pick(rng, kPlaces));
      }
    }
    case TitleKind::kDiscussion:
      break;
  }
  switch (rng() % 5) {
    case 0: return Capitalised(o) + ": what is working for you?";
    case 1: return "Ideas for " + o + " this year";
    case 2: return "Share your " + o + " plans";
    case 3: return t + ": " + o + " and " + std::string(Pick(rng, kObjects));
    default: return "Thoughts on " + o + " after the pilot";
  }
}

std::string RandomBody(Rng& rng, int size_class) {
  switch (size_class) {
    case 0:
      return rng() % 2 ? std::string(Pick(rng, kOneLiners)) : Sentence(rng);
    case 1:
      return Paragraph(rng, 2, 4);
    case 2: {
      std::string b = Paragraph(rng, 2, 4) + "\n\n";
      if (rng() % 2) b += List(rng, rng() % 2) + "\n";
      b += Paragraph(rng, 1, 3);
      return b;
    }
    default: {
      std::string b;
      if (rng() % 3 == 0) {
        // A reply that quotes someone, as the app's Quote button writes it.
        b += markdown::Quote(RandomName(rng), Paragraph(rng, 1, 3)) + "\n\n";
      }
      b += Paragraph(rng, 3, 6) + "\n\n";
      if (rng() % 2) b += "### " + Capitalised(Pick(rng, kObjects)) + "\n\n";
      b += List(rng, false) + "\n";
      b += Paragraph(rng, 2, 5) + "\n\n";
      if (rng() % 3 == 0) b += Table(rng) + "\n";
      b += List(rng, true) + "\n";
      if (rng() % 2) b += "> " + Sentence(rng) + "\n\n";
      b += Paragraph(rng, 2, 5);
      return b;
    }
  }
}

}  // namespace rt::bench
