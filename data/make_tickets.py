"""Generate ``data/tickets.csv``, the support tickets of the example project.

The example project routes customer-support tickets of *Brightdesk*, a fictional
project-management app, to one of five teams (in this label order)::

    billing          charges, refunds, invoices, plans and pricing
    bug              something is broken, crashes or shows an error
    account          login, password, 2FA, access, SSO, email change, account deletion
    feature_request  asks for something the product does not do
    how_to           asks how to use a feature that already exists

How the tickets are made
------------------------
* About 100 tickets are written by hand (``HANDWRITTEN`` below). They hold most of the
  hard cases: a crash on the billing page (``bug``), "how do I get a refund"
  (``billing``, not ``how_to``), "would be nice if SSO worked with Okta"
  (``feature_request``, not ``account``), negations ("I'm NOT asking for a refund, the
  export is broken"), mixed intents, a few tickets in Spanish, French and German, emoji,
  and three tickets with no content at all ("help!!", "?").
* The rest come from templates per label, filled from small vocabularies. Each label has
  *clear* templates (the usual words are there), *vague* templates (the intent is clear
  to a person but the obvious keywords are missing) and *tricky* templates (words that
  belong to another team appear, e.g. "invoice" in a how-to question). Greetings,
  sign-offs, subject lines, shouting, emoji and typos ("pasword", "invocie",
  "cant login") are added at random, and the style depends on the channel (chat is short
  and lower-case, phone transcripts are agent notes).
* ``plan`` and ``channel`` are drawn with label-dependent weights, so heuristics on them
  are weak but not useless signals.

The held-out gold part
----------------------
Every ticket gets its true label when it is made, but the CSV shows it (``gold_label``)
only for a random sample of 200 tickets, drawn uniformly from all tickets, hand-written
and generated, easy and hard alike. The other rows have an empty ``gold_label``. The
three content-free tickets have no true label and are never in the sample.

Run ``python data/make_tickets.py`` from the project root; the output is the same for the
same ``--seed`` (default 7).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

LABELS = ["billing", "bug", "account", "feature_request", "how_to"]
N_GENERATED = 620
N_GOLD = 200

# --------------------------------------------------------------------------------------
# Hand-written tickets: (text, label, channel or None, plan or None).
# label None = no content; such tickets are never in the gold sample.
# --------------------------------------------------------------------------------------
HANDWRITTEN: list[tuple[str, str | None, str | None, str | None]] = [
    # billing
    ("Hi, how do I get a refund for the annual plan? We bought it by mistake instead of monthly.", "billing", "email", "pro"),
    ("I'm on the free plan, why is there a $12 charge on my card??", "billing", "chat", "free"),
    ("our accountant says the invocie is missing our company address and VAT ID, can you reissue it", "billing", "email", "pro"),
    ("we moved to pro last week and got billed for the full month AND the prorated part. that doesn't add up", "billing", "chat", "pro"),
    ("Is there an educational discount? I teach a class of 30 students and want everyone on Brightdesk.", "billing", "web_form", "free"),
    ("Please stop charging me. I cancelled in March. I have the confirmation email. This is the 3rd month in a row!!!", "billing", "email", "pro"),
    ("Bonjour, je n'ai pas reçu la facture du mois dernier. Merci de me la renvoyer.", "billing", "email", "enterprise"),
    ("me cobraron dos veces este mes, necesito un refund por favor", "billing", "chat", "pro"),
    ("Do enterprise seats get cheaper after 100 users? Trying to budget for next year.", "billing", "web_form", "enterprise"),
    ("Payment failed again even though the card is fine and works everywhere else. Can you check on your side? We don't want the workspace to get suspended.", "billing", "email", "pro"),
    ("Could you switch us to yearly and send a quote our procurement team can sign?", "billing", "email", "enterprise"),
    ("The receipt email shows a different amount than my bank statement (€96 vs €108).", "billing", "web_form", "pro"),
    ("I upgraded by accident while clicking around. Can you undo it and not charge me?", "billing", "chat", "pro"),
    ("Why am I paying for 12 seats when only 9 people use it? How do I remove the unused ones so the bill goes down?", "billing", "email", "pro"),
    ("need a PO number on our invoices from now on, finance won't pay without it", "billing", "email", "enterprise"),
    ("My payment went through but the workspace still says Free. Where did my money go?", "billing", "chat", "free"),
    ("is the price on the website per user or per workspace? not clear at all", "billing", "chat", "free"),
    ("Hello, I am a student and my trial ended, can I keep using it without paying?", "billing", "web_form", "free"),
    ("we are a nonprofit 🙏 any chance of a reduced rate?", "billing", "chat", "free"),
    ("Caller wants the last three invoices merged into one PDF for their auditor. Agent promised to escalate.", "billing", "phone_transcript", "enterprise"),
    ("How do I download all my invoices at once?", "billing", "web_form", "pro"),
    ("Refund please. The app has crashed every day this week and I can't work like this.", "billing", "email", "pro"),
    ("My card was declined and now the whole workspace is read-only. Are these related? We're paying customers.", "billing", "email", "pro"),
    ("what happens to our projects if we stop paying? do they get deleted?", "billing", "chat", "pro"),
    ("Subject: paperwork for Q3 - Our finance team needs the documents for July, August and September for the tax filing.", "billing", "email", "enterprise"),
    # bug
    ("I'm NOT asking for a refund, the export is broken. The CSV comes out empty every time.", "bug", "email", "pro"),
    ('The billing page crashes when I click "Update card". Tried Chrome and Firefox.', "bug", "web_form", "pro"),
    ("Downloading an invoice PDF gives me a 500 error.", "bug", "chat", "enterprise"),
    ("login page is just a white screen on Safari 17, works fine in Chrome", "bug", "chat", "free"),
    ("Every time I drag a task to Friday in the calendar, it lands on Thursday. Timezone thing?", "bug", "web_form", "pro"),
    ("help!! all my subtasks vanished after the update", "bug", "chat", "free"),
    ("The mobile app logs me out every few minutes since version 4.2. My password is fine, it's the app.", "bug", "email", "pro"),
    ("Gantt chart doesn't render past December, it just stops. We plan into next year, obviously.", "bug", "email", "enterprise"),
    ("Comments I write on the iPad don't show up on desktop until I reload twice", "bug", "web_form", "pro"),
    ("Hallo, der Export nach Excel stürzt jedes Mal ab. Bitte um Hilfe.", "bug", "email", "enterprise"),
    ("calendar sync dead again 💀", "bug", "chat", "pro"),
    ("Notifications arrive 3 times for every comment. My team is going crazy.", "bug", "email", "pro"),
    ("Why does search return tasks from projects I archived? Not sure if this is intended but it feels wrong.", "bug", "web_form", "free"),
    ('Getting "Something went wrong" when I try to accept the invite my manager sent. Tried 4 times.', "bug", "chat", "free"),
    ("the numbers in the workload report don't add up - Anna shows 60 hours this week but her tasks total 25", "bug", "email", "enterprise"),
    ("Slack integration posts every update to the wrong channel since Monday. We didn't change anything.", "bug", "email", "pro"),
    ("This is not a how-to question: I know how recurring tasks work. They are just not recurring anymore.", "bug", "email", "pro"),
    ("app froze, lost 20 min of notes. not happy.", "bug", "chat", "free"),
    ("When I paste a table from Excel into a task description the whole page hangs.", "bug", "web_form", "pro"),
    ("Customer reports dependency arrows pointing to the wrong tasks after moving a milestone. Reproduced it during the call.", "bug", "phone_transcript", "enterprise"),
    ("The time tracker keeps running after I stop it and now my timesheet says 19 hours on one task lol", "bug", "chat", "pro"),
    ("Webhook deliveries fail with 401 even with a freshly generated token.", "bug", "email", "enterprise"),
    ("dark mode toggle in the mobile app does nothing", "bug", "chat", "pro"),
    ("Attachments over 10 MB upload to 99% and then just stop.", "bug", "web_form", "pro"),
    ("The export is broken and honestly, if it's not fixed by Friday I want my money back.", "bug", "email", "pro"),
    ("I can't log in since your update this morning, and neither can anyone on my team. Error 503 on the sign-in page.", "bug", "email", "enterprise"),
    ("wtf happened to the board view?? columns are all squished into one", "bug", "chat", "free"),
    ("Hi, tasks I mark as done come back as open after a few minutes. Happens on web and Android.", "bug", "web_form", "pro"),
    # account
    ("cant login, says pasword wrong but i literally just reset it", "account", "chat", "free"),
    ("Lost my phone with the authenticator app and now I'm locked out. How do I get back in?", "account", "email", "pro"),
    ("Please delete my account and everything attached to it. This is a GDPR request.", "account", "email", "free"),
    ("I changed jobs. How do I move my account to my new work email without losing my personal projects?", "account", "web_form", "free"),
    ('Our Okta SSO stopped letting new hires in, they get "user not provisioned".', "account", "email", "enterprise"),
    ("The password reset email never arrives. Checked spam. Nothing.", "account", "web_form", "pro"),
    ("my colleague left and her projects are stuck under her user. can we get access?", "account", "chat", "pro"),
    ("Hola, no puedo entrar a mi cuenta, dice que la contraseña es incorrecta.", "account", "chat", "free"),
    ("I'm the workspace admin but the Admin settings tab is gone for me. Did someone change my role?", "account", "email", "enterprise"),
    ("How do I turn on two-factor for everyone in our workspace?", "account", "web_form", "enterprise"),
    ("signed up with Google, now I want to sign in with email + password instead. possible?", "account", "chat", "free"),
    ("Someone logged into my account from a country I've never been to. Please lock it.", "account", "email", "pro"),
    ("Two accounts got created with the same email somehow, can you merge them?", "account", "web_form", "pro"),
    ("Caller cannot receive the SMS code, changed phone number last week. Identity verified on the call.", "account", "phone_transcript", "pro"),
    ("locked out!!", "account", "chat", "free"),
    ("I want to close my account, I don't use Brightdesk anymore.", "account", "web_form", "free"),
    ("change my email pls old one is dead", "account", "chat", "free"),
    ("How do I delete my account?", "account", "web_form", "free"),
    ("it keeps asking for a code and the code never comes", "account", "chat", "pro"),
    # feature_request
    ("Would be nice if SSO worked with Okta. Right now we only see Google and Microsoft as options.", "feature_request", "email", "enterprise"),
    ("Please add dark mode, my eyes are dying at 2am 😅", "feature_request", "chat", "pro"),
    ("Any plans to let us pay by bank transfer? Our company doesn't do credit cards.", "feature_request", "email", "enterprise"),
    ("It would be great if the Gantt chart could show weekends greyed out.", "feature_request", "web_form", "pro"),
    ("Why can't I assign a task to two people? Every other tool I've used can do this.", "feature_request", "email", "free"),
    ("Is it possible to export the timeline to Microsoft Project?", "feature_request", "web_form", "enterprise"),
    ("We need a proper Jira integration. The Zapier workaround breaks constantly.", "feature_request", "email", "enterprise"),
    ("not a bug, just a wish: let me collapse all sections of a board at once", "feature_request", "chat", "pro"),
    ("Could the mobile app work offline? I'm on trains a lot.", "feature_request", "web_form", "pro"),
    ("Suggestion for the invoice page: show the amounts in EUR, not only USD.", "feature_request", "web_form", "pro"),
    ("hardware security keys for 2FA please, authenticator apps are not allowed at our bank", "feature_request", "email", "enterprise"),
    ("Would love a burndown chart for sprints.", "feature_request", "chat", "pro"),
    ("Markdown tables in task descriptions 🙏", "feature_request", "chat", "free"),
    ("the app is fine but it needs a Portuguese version for our office in Brazil", "feature_request", "email", "enterprise"),
    # how_to
    ("How do I make a task repeat every second Tuesday?", "how_to", "chat", "free"),
    ("Where do I find the setting to stop email notifications for comments? My inbox is flooded.", "how_to", "web_form", "pro"),
    ("Is there a way to see everything assigned to me across all projects in one place?", "how_to", "email", "pro"),
    ("I'm new here. What's the difference between a milestone and a task?", "how_to", "chat", "free"),
    ("can i move tasks between projects without losing the comments?", "how_to", "chat", "free"),
    ("How do I set up a recurring task for our monthly invoice review?", "how_to", "web_form", "pro"),
    ("Is there a report of billable hours per client? We bill our clients by the hour.", "how_to", "email", "enterprise"),
    ("Not a bug, I just can't figure out how to add a dependency between two tasks.", "how_to", "chat", "free"),
    ("We're onboarding 15 people next week. Any tips on structuring the workspace for several departments?", "how_to", "email", "enterprise"),
    ("How do I give a client read-only access to one project without making them a member?", "how_to", "email", "pro"),
    ("how do u print the gantt", "how_to", "chat", "free"),
    ("Caller asked how to import tasks from a spreadsheet. Walked through it and sent the help article.", "how_to", "phone_transcript", "pro"),
    ("what does the little clock icon on a task mean?", "how_to", "chat", "free"),
    ("Trying to filter the board by tag and assignee at the same time, where is that?", "how_to", "web_form", "pro"),
    ("Can you explain how automations work? I want new tasks in 'Design' to be assigned to Priya automatically.", "how_to", "email", "pro"),
    ("keyboard shortcut for a new task?", "how_to", "chat", "pro"),
    ('What does "Archive" do exactly? Does it delete the tasks or just hide them?', "how_to", "web_form", "free"),
    ("hi, how to change the week start to Monday in calendar. thanks", "how_to", "chat", "free"),
    ("How do I delete a project? Not my account, just the project.", "how_to", "web_form", "free"),
    ("Is there an API? I'd like to pull our tasks into our BI tool.", "how_to", "email", "enterprise"),
    # no content: never gold
    ("help!!", None, "chat", "free"),
    ("?", None, "chat", "pro"),
    ("hello?? anyone there", None, "chat", "free"),
]

# --------------------------------------------------------------------------------------
# Vocabularies for the templates. A "{slot}" in a template takes a random entry.
# --------------------------------------------------------------------------------------
VOCAB: dict[str, list[str]] = {
    "feature": [
        "the Gantt chart", "the timeline view", "the kanban board", "my task list", "the calendar",
        "time tracking", "recurring tasks", "subtasks", "custom fields", "the dashboard",
        "the reports page", "file attachments", "comments", "notifications", "the Slack integration",
        "Google Calendar sync", "the CSV export", "the PDF export", "project templates",
        "automations", "the mobile app", "the desktop app", "milestones", "task dependencies",
        "the workload view", "search", "tags", "the API", "webhooks", "the portfolio view",
    ],
    "page": ["the billing page", "the invoices page", "the plans page", "the checkout page", "the payment settings"],
    "acc_page": ["the login page", "the password reset page", "the 2FA setup screen", "the profile settings"],
    "symptom": [
        "it crashes", "it freezes", "it just hangs", "I get an error", "it shows a blank page",
        "nothing happens", "the page goes white", "it throws an error", "it spins forever",
        "it doesn't save", "it glitches out", "everything disappears",
    ],
    "action": [
        "open a project", "drag a task", "upload a file", "export to CSV", "add a comment",
        "switch to timeline view", "create a subtask", "change a due date", "filter by assignee",
        "save a template", "start the timer", "archive a project", "move a card", "reorder columns",
        "edit a custom field", "print the Gantt chart",
    ],
    "error": [
        "Something went wrong", "Error 500", "ERR_SYNC_FAILED", "Unexpected token < in JSON",
        "Request timed out", "Oops! We hit a snag", "error code 0x80", "Internal server error",
    ],
    "platform": ["iOS", "Android", "Windows", "Mac", "web", "iPad", "Chrome", "Firefox", "Edge", "Safari"],
    "when": ["since the last update", "since this morning", "since yesterday", "for two days now",
             "after the 4.3 release", "since Monday", "all of a sudden", "since we upgraded"],
    "howto_action": [
        "set up recurring tasks", "add a dependency between two tasks", "export a project to CSV",
        "change the first day of the week in the calendar", "invite a guest to a single project",
        "archive a finished project", "create a project template", "filter the board by assignee",
        "connect Brightdesk to Slack", "move a task to another project", "set a due time, not just a date",
        "edit many tasks at once", "add custom fields to tasks", "see the time my team logged",
        "turn off email notifications", "share a read-only link to a timeline",
        "import tasks from a spreadsheet", "pin a project to the sidebar", "restore a deleted task",
        "set up an automation that assigns new tasks", "use keyboard shortcuts", "print the Gantt chart",
        "mention someone in a comment", "change the owner of a project", "duplicate a project",
        "group tasks by milestone", "color-code tags", "show subtasks on the board",
    ],
    "howto_goal": [
        "plan a product launch", "track hours per client", "run weekly sprints", "keep an eye on deadlines",
        "share progress with my boss", "organise a big event", "onboard new hires", "manage a content calendar",
        "see who is overloaded", "report on finished work every Friday",
    ],
    "fr": [
        "export the Gantt chart to Microsoft Project", "use dark mode on the web app", "get a weekly digest by SMS",
        "attach files bigger than 2 GB", "log time offline on the mobile app", "add emoji reactions to comments",
        "color the calendar by tag", "nest subtasks more than three levels deep", "sync with Outlook calendar both ways",
        "see a burndown chart", "use Markdown tables in descriptions", "use Brightdesk in Portuguese",
        "lock a column on the board", "put two assignees on one task", "use a custom domain for shared links",
        "undo a bulk delete", "connect Brightdesk to Jira", "set task priorities beyond high/medium/low",
        "see the board and the calendar side by side", "set working hours per person",
    ],
    "fr_noun": [
        "dark mode", "a Jira integration", "two-way Outlook sync", "burndown charts", "emoji reactions",
        "an offline mode for the mobile app", "multiple assignees per task", "a Portuguese translation",
        "bigger file uploads", "custom domains for shared links", "an undo button for bulk actions",
        "a proper Gantt export to MS Project", "a Linux desktop app", "voice notes on tasks",
        "a public roadmap page", "per-person working hours", "a list view that prints nicely",
    ],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December", "last month", "this month"],
    "amount": ["$29", "$49", "$120", "$348", "€39", "€456", "£25", "$9.99", "$588"],
    "n": ["5", "8", "12", "20", "35", "50", "120", "200"],
    "plan_name": ["Pro", "Enterprise", "Free", "annual", "monthly", "team"],
    "idp": ["Okta", "Azure AD", "Google Workspace", "OneLogin", "our SAML provider"],
    "name": ["Maria", "Tom", "Priya", "J.", "Kenji", "Lukas", "Amara", "Dave from IT", "Sofia", "the ops team"],
    "emoji": ["🙏", "😡", "😅", "🙂", "👍", "😭", "🔥", "🤔", "🥲"],
}

# (kind, template). kind is "clear", "vague" or "tricky".
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "billing": [
        ("vague", "Our finance team is asking why the amount changed from {month} to {month}."),
        ("vague", "Who do I talk to about renewing our contract? It ends in {month}."),
        ("vague", "We added {n} guests, do they count towards what we pay?"),
        ("vague", "Is Pro worth it for a team of {n}, or should we stay on Free?"),
        ("tricky", "The app says my trial is over. How do I keep my projects without losing anything?"),
        ("tricky", "I think we pay for {n} people who left months ago. Can we get that back?"),
        ("clear", "I was charged twice for {month}. Please refund the extra charge."),
        ("clear", "Can I get a refund? We signed up for the {plan_name} plan but never used it."),
        ("clear", "Please send me the invoice for {month}, our accountant needs it."),
        ("clear", "Our VAT number is missing from the invoice, can you add it?"),
        ("clear", "How much does the {plan_name} plan cost for {n} users?"),
        ("clear", "We'd like to downgrade from Enterprise to Pro at the end of the billing cycle."),
        ("clear", "My credit card expired, how do I update the payment method?"),
        ("clear", "Why did my bill go up this month? We didn't add anyone."),
        ("clear", "Do you offer a discount if we pay annually?"),
        ("clear", "Cancel my subscription please, and don't charge me again."),
        ("clear", "The pricing page says {amount} but I was charged {amount}. Which one is right?"),
        ("clear", "I need a copy of the receipt for the {amount} payment in {month}."),
        ("clear", "We were billed for {n} seats but we only have {n} members."),
        ("clear", "Requesting a refund for {month}, we cancelled before the renewal date."),
        ("clear", "Is there a coupon or promo code for startups?"),
        ("vague", "There's a {amount} line from BRIGHTDESK on my statement that I don't recognise."),
        ("vague", "We got an email saying the payment didn't go through. What now?"),
        ("vague", "Need the paperwork for last quarter for our finance team."),
        ("vague", "What happens to my projects if I stop paying at the end of {month}?"),
        ("vague", "Is it cheaper if we pay for the whole year up front?"),
        ("vague", "Our purchasing department needs a W-9 and a PO number on the documents."),
        ("vague", "We are {n} people, which tier makes sense for us and what would it come to per year?"),
        ("vague", "Money was taken from my account on the 3rd even though I moved to the free tier."),
        ("tricky", "How do I get my money back? The {plan_name} plan was bought by mistake."),
        ("tricky", "How can I change the billing email so invoices go to accounting@ instead of me?"),
        ("tricky", "Not a bug, just a question about my invoice: why is tax added twice?"),
        ("tricky", "I can't find where to download invoices. Are they emailed or in the app?"),
        ("tricky", "My payment went through but {feature} still says I need to upgrade."),
        ("tricky", "Is it possible to get a refund for the unused months if we switch to annual?"),
    ],
    "bug": [
        ("vague", "{feature} shows yesterday's data even after refreshing."),
        ("vague", "Clicking on a task opens a different one."),
        ("vague", "The {platform} app closes itself when I {action}."),
        ("vague", "{feature} takes forever and then gives up."),
        ("vague", "Dates in {feature} are off by one day for me."),
        ("tricky", "How come {feature} shows tasks from other people's private projects?"),
        ("tricky", "Is {feature} supposed to reset my filters every time? Feels wrong."),
        ("tricky", "Can you check why I get no notifications anymore? Did I change a setting by mistake?"),
        ("clear", "{feature} is broken {when}. When I {action} {symptom}."),
        ("clear", "When I {action} the app crashes. {platform}, latest version."),
        ("clear", 'Getting an error "{error}" when I try to {action}.'),
        ("clear", "{feature} won't load, just a spinning wheel forever."),
        ("clear", "the {platform} app keeps crashing when i open {feature}"),
        ("clear", "Bug: {feature} shows the wrong dates after I change my timezone."),
        ("clear", "{feature} has been throwing '{error}' {when}."),
        ("clear", "Crash report: {platform}, tried to {action}, app closed itself."),
        ("clear", "Error every time I {action}. Message says '{error}'."),
        ("clear", "{feature} is not working {when}, please fix."),
        ("vague", "Nothing happens when I click Save in {feature}."),
        ("vague", "Since yesterday {feature} is blank for everyone on my team."),
        ("vague", "{feature} duplicated all my tasks, now I have three copies of everything."),
        ("vague", "something is off with {feature}, it was fine last week"),
        ("vague", "{feature} is acting weird today"),
        ("vague", '"{feature}" tab is empty, it says "No items" but we have dozens.'),
        ("vague", "my tasks disappeared?! they were there an hour ago"),
        ("vague", "It's super slow {when}, takes a minute to open any project."),
        ("vague", "When I {action}, the page jumps back to the top and my changes are gone."),
        ("vague", "Half of the team sees old data in {feature}, the other half sees the new one."),
        ("vague", "I {action} and it says done, but when I come back it was never saved."),
        ("tricky", "{page} crashes when I try to update my card."),
        ("tricky", "I'm NOT asking for a refund. {feature} is broken and I just want it fixed."),
        ("tricky", "{acc_page} shows '{error}' on {platform}. Other pages load fine."),
        ("tricky", "How do I stop {feature} from freezing every time I {action}? It used to work."),
        ("tricky", "The invoice PDF download gives '{error}'."),
        ("tricky", "Is it just me or is {feature} broken {when}?"),
        ("tricky", "Not a feature request, a bug: {feature} ignores the filter I set."),
    ],
    "account": [
        ("vague", "I can't get into Brightdesk on my new laptop."),
        ("vague", "the code from the app is always rejected"),
        ("vague", "I need to take over the workspace from {name}, they are on leave for months."),
        ("vague", "Please update the address I use to get in, my name changed after the wedding."),
        ("tricky", "Is there a way to use the same login for two workspaces?"),
        ("tricky", "How do I add a second admin to our workspace?"),
        ("clear", "I can't log in. It says my password is wrong but I just reset it."),
        ("clear", "Forgot my password and the reset email never arrives."),
        ("clear", "I lost my phone and can't get past two-factor authentication."),
        ("clear", "Please delete my account and all my data."),
        ("clear", "How do I change the email address on my account?"),
        ("clear", "Our SSO login with {idp} stopped working for new employees."),
        ("clear", "My account is locked after too many login attempts."),
        ("clear", "I need access to my former colleague's projects, she left the company."),
        ("clear", "How do I reset my password? The link in the email has expired."),
        ("clear", "Please remove 2FA from my account, I got a new phone."),
        ("clear", "Can you set up SAML single sign-on with {idp} for our workspace?"),
        ("clear", "cant sign in on {platform}, password definitely correct"),
        ("vague", "can't get in {when}"),
        ("vague", "it keeps asking me for a verification code I never receive"),
        ("vague", "I'm the admin but I can't see the admin settings anymore."),
        ("vague", "Need to move my user over to my new work address, the old domain is going away."),
        ("vague", "Got an email that someone tried to get into my profile, was that you?"),
        ("vague", "New hire {name} doesn't get the invite to join our workspace, can you resend it?"),
        ("vague", "Please make {name} an admin of our workspace, the previous admin left."),
        ("tricky", "The login code email goes to spam. Not a bug probably, but annoying."),
        ("tricky", "How do I turn on 2FA for my whole team?"),
        ("tricky", "Is there a way to stop getting logged out on {platform} every day?"),
        ("tricky", "Our {idp} login broke {when} and nobody on the team can get in. Please help."),
        ("tricky", "I don't want a refund, I just want to get into my account again."),
    ],
    "feature_request": [
        ("vague", "We really miss {fr_noun} compared to our old tool."),
        ("vague", "Is {fr_noun} coming?"),
        ("vague", "{fr_noun} would change everything for our team."),
        ("tricky", "How do I {fr}? Can't find it anywhere."),
        ("tricky", "{feature} is great but useless for us until we can {fr}."),
        ("clear", "It would be great if we could {fr}."),
        ("clear", "Feature request: {fr_noun}."),
        ("clear", "Please add {fr_noun}! We really need it."),
        ("clear", "Any plans to support {fr_noun}?"),
        ("clear", "Our team would love {fr_noun}. Is it on the roadmap?"),
        ("clear", "Suggestion: let us {fr}."),
        ("clear", "Would be nice to {fr}."),
        ("vague", "Why can't I {fr}? Every other tool does this."),
        ("vague", "It's frustrating that there's no way to {fr}."),
        ("vague", "Is it possible to {fr}?"),
        ("vague", "We're thinking about switching tools because we can't {fr} in Brightdesk."),
        ("vague", "Can you guys {fr_verb} {fr_noun} someday? Would make my life easier."),
        ("vague", "{fr_noun} when?? 🙏"),
        ("tricky", "Not a bug, but {feature} really needs a way to {fr}."),
        ("tricky", "Would be nice if SSO worked with {idp}."),
        ("tricky", "Please let us pay by PayPal, our company doesn't use credit cards."),
        ("tricky", "Can you add a way to export all invoices as one CSV?"),
        ("tricky", "How about letting us {fr}? Right now we use a spreadsheet for it."),
    ],
    "how_to": [
        ("vague", "Our team wants to {howto_goal}, what would you recommend?"),
        ("vague", "Where's the option to {howto_action}? It used to be in the sidebar."),
        ("vague", "I want to {howto_action}."),
        ("vague", "Could you show me how to {howto_action}?"),
        ("tricky", "{feature} doesn't show subtasks. Is there a setting for that?"),
        ("tricky", "Can I {howto_action} from the mobile app, or only on the web?"),
        ("tricky", "I keep losing track of which tasks are mine, how do other teams handle this?"),
        ("clear", "How do I {howto_action}?"),
        ("clear", "Is there a way to {howto_action}? Couldn't find it in the docs."),
        ("clear", "Can someone explain how {feature} works? I want to {howto_goal}."),
        ("clear", "Where can I find the setting to {howto_action}?"),
        ("clear", "What's the best way to {howto_goal} in Brightdesk?"),
        ("clear", "quick question - how to {howto_action}"),
        ("clear", "I'm new to Brightdesk. How can I {howto_action}?"),
        ("clear", "how can we {howto_action}??"),
        ("vague", "I'd like to {howto_action} but I'm not sure where to start."),
        ("vague", "Need some guidance on setting up {feature} to {howto_goal}."),
        ("vague", "Trying to {howto_action}, can you walk me through it"),
        ("vague", "Any tips for using {feature} to {howto_goal}?"),
        ("vague", "We want to {howto_goal}. Which views should we use?"),
        ("vague", "Looking for a tutorial on {feature}."),
        ("tricky", "Is it possible to {howto_action}?"),
        ("tricky", "Not a bug, I just can't work out how to {howto_action}."),
        ("tricky", "How do I add an expense column to my budget tracking project? Want to track invoice totals per vendor."),
        ("tricky", "How can I make a task only visible to the account owner?"),
        ("tricky", "Where do I set up the login screen for our client portal project? Just the task list, not actual logins, lol."),
        ("tricky", "Can {feature} show the billable hours per client? We charge by the hour."),
    ],
}
# a verb for "Can you guys {fr_verb} ..."
VOCAB["fr_verb"] = ["add", "build", "make", "give us", "ship"]

GENERIC_SUBJECTS = ["Question", "Help", "Urgent", "Issue", "Brightdesk", "Hi", "Support request",
                    "Problem", "Quick one", "Re: your last email", "Fwd: ticket"]
SPECIFIC_SUBJECTS = {
    "billing": ["Refund request", "Invoice", "Billing question", "Charge on my card", "Pricing"],
    "bug": ["Bug report", "Something is broken", "Error", "App crash", "Not working"],
    "account": ["Login problem", "Password", "Account access", "2FA", "SSO"],
    "feature_request": ["Feature request", "Idea", "Suggestion", "Wishlist"],
    "how_to": ["How to?", "Question about usage", "Need help with setup", "Getting started"],
}
GREETINGS = ["Hi,", "Hello,", "Hi team,", "Hey,", "Good morning,", "Dear Brightdesk support,", "hi", "Hello there,"]
SIGNOFFS = ["Thanks!", "Thank you.", "Cheers, {name}", "Best, {name}", "thx", "Regards, {name}",
            "Sent from my phone", "Appreciate it!", "Thanks in advance"]
ANGRY = ["This is unacceptable.", "FIX THIS.", "Third time I'm writing about this!!", "Seriously??",
         "We pay for this.", "Really disappointed."]
POLITE = ["No rush.", "Sorry if this was asked before.", "Thanks for the great product!", "Hope you're well."]

TYPOS = {
    "password": ["pasword", "passwrod", "pw", "passowrd"],
    "invoice": ["invocie", "invoce", "invoise"],
    "refund": ["refnd", "refound", "refun"],
    "can't": ["cant", "cannot", "can not"],
    "login": ["loggin", "log-in", "logon"],
    "log in": ["login", "loggin", "log-in"],
    "receive": ["recieve"],
    "subscription": ["subsciption", "subscribtion"],
    "account": ["acount", "accout"],
    "calendar": ["calender", "calandar"],
    "error": ["eror", "errror"],
    "crashes": ["crashs", "chrashes"],
    "doesn't": ["doesnt", "dosent"],
    "won't": ["wont"],
    "separate": ["seperate"],
    "I'm": ["Im", "i'm", "im"],
    "please": ["pls", "plz", "pleas"],
    "feature": ["feture"],
    "notifications": ["notifs", "notifcations"],
    "through": ["thru"],
}

LABEL_WEIGHTS = {"billing": 0.20, "bug": 0.30, "account": 0.18, "feature_request": 0.10, "how_to": 0.22}
KIND_WEIGHTS = {"clear": 0.45, "vague": 0.33, "tricky": 0.22}
PLAN_WEIGHTS = {
    "billing": [0.25, 0.45, 0.30],
    "bug": [0.35, 0.40, 0.25],
    "account": [0.35, 0.35, 0.30],
    "feature_request": [0.45, 0.35, 0.20],
    "how_to": [0.50, 0.35, 0.15],
}
PLANS = ["free", "pro", "enterprise"]
CHANNELS = ["email", "chat", "web_form", "phone_transcript"]
CHANNEL_WEIGHTS = [0.35, 0.30, 0.25, 0.10]


def fill(template: str, rng: random.Random) -> str:
    """Replace every ``{slot}`` with a random entry of ``VOCAB[slot]``."""
    used: dict[str, set[str]] = {}

    def pick(m: re.Match[str]) -> str:
        # a slot used twice in one template ("charged {amount}, not {amount}") gets two values
        taken = used.setdefault(m.group(1), set())
        value = rng.choice([v for v in VOCAB[m.group(1)] if v not in taken])
        taken.add(value)
        return value
    text = re.sub(r"\{(\w+)\}", pick, template)
    # a feature at the start of a sentence gets a capital letter
    return re.sub(r"(^|[.!?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def add_typos(text: str, rng: random.Random) -> str:
    """Swap known words for common misspellings, sometimes transpose two letters."""
    for word, variants in TYPOS.items():
        if word in text and rng.random() < 0.45:
            text = text.replace(word, rng.choice(variants), 1)
    if rng.random() < 0.3:
        words = text.split(" ")
        long_idx = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
        if long_idx:
            i = rng.choice(long_idx)
            w = words[i]
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            text = " ".join(words)
    return text


def style(text: str, label: str, channel: str, rng: random.Random) -> str:
    """Dress a templated sentence up as a ticket from ``channel``."""
    if text[-1:].isalnum():
        text += rng.choice([".", "", "!", "."])
    if rng.random() < 0.12:
        extra = rng.choice(ANGRY if label in ("bug", "account") else POLITE)
        text = f"{text} {extra}"
    if channel == "phone_transcript":
        lead = rng.choice(["Caller says:", "Customer called.", "Call note -", "Phone call summary:"])
        tail = rng.choice(["", " Agent to follow up.", " Told them we'd get back within a day.",
                           " Customer sounded frustrated.", ""])
        return f"{lead} {text}{tail}"
    if channel == "chat":
        if rng.random() < 0.5:
            text = text.lower()
        if rng.random() < 0.15:
            text = text.rstrip(".") + " " + rng.choice(VOCAB["emoji"])
        if rng.random() < 0.1 and label in ("bug", "account"):
            text = text.upper()
        return text
    if rng.random() < 0.35:
        greeting = rng.choice(GREETINGS)
        text = f"{greeting} {text[0].lower() + text[1:] if greeting == 'hi' else text}"
    if rng.random() < 0.3:
        text = f"{text} {fill(rng.choice(SIGNOFFS), rng)}"
    if rng.random() < 0.06:
        text = f"{text} {rng.choice(VOCAB['emoji'])}"
    if rng.random() < 0.4:
        pool = SPECIFIC_SUBJECTS[label] if rng.random() < 0.5 else GENERIC_SUBJECTS
        subject = rng.choice(pool)
        if subject.split()[0].lower() not in text.lower():
            text = f"{subject}{rng.choice([' - ', ': ', ' | '])}{text}"
    return text


def generate(seed: int = 7, n_generated: int = N_GENERATED) -> list[dict[str, str]]:
    """Return the ticket rows, each with its true label under the key ``_label``:
    the hand-written tickets and ``n_generated`` more from the templates."""
    rng = random.Random(seed)
    items: list[tuple[str, str | None, str, str]] = []
    for text, label, channel, plan in HANDWRITTEN:
        items.append((text, label, channel or rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0],
                      plan or rng.choice(PLANS)))
    seen = {t for t, *_ in items}
    labels = list(LABEL_WEIGHTS)
    while len(items) < len(HANDWRITTEN) + n_generated:
        label = rng.choices(labels, [LABEL_WEIGHTS[x] for x in labels])[0]
        kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        choices = [t for k, t in TEMPLATES[label] if k == kind]
        text = fill(rng.choice(choices), rng)
        if rng.random() < 0.3:
            text = add_typos(text, rng)
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        text = style(text, label, channel, rng)
        if text in seen:
            continue
        seen.add(text)
        plan = rng.choices(PLANS, PLAN_WEIGHTS[label])[0]
        if "SSO" in text or "SAML" in text or "procurement" in text:
            plan = "enterprise"
        items.append((text, label, channel, plan))
    rng.shuffle(items)
    candidates = [i for i, it in enumerate(items) if it[1] is not None]
    gold = set(rng.sample(candidates, N_GOLD))
    rows = []
    for i, (text, label, channel, plan) in enumerate(items):
        rows.append({
            "ticket_id": f"T{i + 1:04d}",
            "text": text,
            "channel": channel,
            "plan": plan,
            "gold_label": label if i in gold else "",
            "_label": label or "",
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("tickets.csv"))
    args = parser.parse_args()
    rows = generate(args.seed)
    fields = ["ticket_id", "text", "channel", "plan", "gold_label"]
    with args.out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, quoting=csv.QUOTE_MINIMAL, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
