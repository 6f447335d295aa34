#!/usr/bin/env python3
"""Generates tickets.csv and escalation_reasons.csv for the KreditKite training product.

Every turn is written by hand below as (message, intent, docs, reasons):
  intent  B billing, T technical, A account, G general
  docs    space-separated article keys (see DOCS), "" when no article answers the turn
  reasons why the turn is escalated, space-separated, "" when it is not:
          H  asks for a human / agent / manager / call back
          X  angry or abusive
          P  privileged action the assistant cannot do
          NL no article: a capability KreditKite lacks
          NU no article: another uncovered topic
          NB no article: a bare request for a person
          T  third turn in a row that the same problem is still not fixed
expected_escalate is true exactly when a turn has at least one reason.
Python 3 standard library only.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

DOCS = {
    "fees": "billing/fees-and-charges.md",
    "stmt": "billing/statements-and-due-dates.md",
    "int": "billing/interest-and-late-fees.md",
    "pay": "billing/paying-your-bill.md",
    "auto": "billing/autopay.md",
    "emi": "billing/emi-conversions.md",
    "disp": "billing/disputes-and-chargebacks.md",
    "rew": "billing/rewards-and-cashback.md",
    "codes": "technical/error-codes.md",
    "upi": "technical/upi-payments-with-your-card.md",
    "decl": "technical/declined-transactions.md",
    "bind": "technical/device-binding-and-upi-pin.md",
    "ctrl": "technical/card-controls.md",
    "app": "technical/app-errors.md",
    "alerts": "technical/alerts-and-notifications.md",
    "otp": "account/otp-sign-in.md",
    "sec": "account/account-security.md",
    "kyc": "account/kyc-and-video-kyc.md",
    "details": "account/updating-your-details.md",
    "block": "account/card-block-and-replacement.md",
    "limit": "account/credit-limits.md",
    "score": "account/credit-score-and-reporting.md",
    "close": "account/closing-your-account.md",
    "how": "general/how-kreditkite-works.md",
    "elig": "general/eligibility-and-applying.md",
    "flex": "general/kiteflex-pay-later.md",
    "partners": "general/lending-partners-and-terms.md",
    "safe": "general/safe-use-and-scams.md",
    "support": "general/support-and-contact.md",
    "griev": "general/complaints-and-grievances.md",
}
INTENTS = {"B": "billing", "T": "technical", "A": "account", "G": "general"}
REASONS = {
    "H": "human_request",
    "X": "angry",
    "P": "privileged_action",
    "NL": "no_article_capability_lacking",
    "NU": "no_article_uncovered_topic",
    "NB": "no_article_bare_request",
    "T": "third_unresolved",
}

# ---------------------------------------------------------------- multi-turn
MULTI = [
    # M1 KK-301 linking, third unresolved, then physical card (technical -> account)
    ("chat", [
        ("trying to add my kreditkite card in phonepe, it keeps saying card not found KK-301", "T", "upi", ""),
        ("app is updated and i picked RuPay credit card > tarang bank from the list. still not found", "T", "upi", ""),
        ("tried gpay as well now, exact same KK-301. 3rd time telling u, nothing is working", "T", "upi codes", "T"),
        ("ok leave it. till then can i pay at shops with the physical card? dont have one yet, how to order", "A", "block fees", ""),
        ("how many days for delivery to pune", "A", "block", ""),
    ]),
    # M2 KK-102 bill payment, third unresolved, then bank refund of double payment
    ("whatsapp", [
        ("paid 8,400 card bill thru upi inside the app, showing KK-102 pending. amt debited from sbi", "B", "pay", ""),
        ("2 hrs over, still pending. due date is today only, will i get late fee for this?", "B", "pay int", ""),
        ("next morning and STILL pending, app now says bill unpaid. this is not getting sorted", "B", "pay", "T"),
        ("paid again by netbanking to be safe and now BOTH went through. want the extra 8400 back in my sbi a/c, not as credit on card", "B", "pay", "P"),
    ]),
    # M3 video KYC camera KK-504 (technical -> account)
    ("email", [
        ("Dear team, I finished the Aadhaar OTP step yesterday but the video KYC screen shows KK-504 and the camera stays black. I am using a Redmi Note 10. Please guide me.", "T", "app kyc", ""),
        ("Thank you, I allowed the permission and the camera works now. What are the timings for the video call, and do I need the original PAN card or will a photocopy do?", "A", "kyc", ""),
        ("One more doubt: my Aadhaar OTP was done on Monday. If I can only do the video call on Friday evening, will I have to start the application again?", "A", "kyc", ""),
    ]),
    # M4 KK-201 decline, limit increase, then temporary raise (technical -> account)
    ("chat", [
        ("payment at croma failed with KK-201. i'm pretty sure i have limit left", "T", "decl", ""),
        ("oh ok app shows available only 14,200 and the tv is 38,990. so how do i get my limit increased", "A", "limit", ""),
        ("the request increase button is greyed out. card is 4 months old and i always paid in full", "A", "limit", ""),
        ("can you just bump it to 50k for today? will pay it back next week, sale ends tonight", "A", "limit", "P"),
    ]),
    # M5 autopay KK-103 -> late fee waiver -> angry (Hinglish)
    ("whatsapp", [
        ("autopay fail hone ka msg aaya KK-103. kyun hua?", "B", "auto codes", ""),
        ("account me paisa tha bhai. ab 590 late fee laga diya, hatao isko", "B", "int auto", "P"),
        ("ye kya bakwas hai, galti aapke mandate ki aur fine main bharu?? nahi hataya toh card band aur twitter pe sab daalunga", "B", "int", "X P"),
    ]),
    # M6 KK-502 statements not loading, third unresolved, then statement questions (technical -> billing)
    ("chat", [
        ("statement section not loading, keeps spinning then KK-502", "T", "app", ""),
        ("did the pull to refresh thing and switched wifi to mobile data. still KK-502", "T", "app", ""),
        ("cleared cache, reinstalled, logged in again. same KK-502. been at this for an hour", "T", "app", "T"),
        ("fine forget the app. is the statement also emailed? cant find any mail", "B", "stmt", ""),
        ("found it in spam. total 23,415 and min due 1,171?? how is the min due worked out", "B", "stmt", ""),
        ("and if i pay just the minimum, roughly how much interest will come next month", "B", "int", ""),
    ]),
    # M7 merchant dispute, overdue temporary credit
    ("email", [
        ("Hello, I paid Rs 6,499 to an online store (order #FS-20931) on 3 March with my KreditKite card on UPI. The seller cancelled the order but no refund has come even after three weeks. How do I get my money back?", "B", "disp", ""),
        ("I raised the dispute in the app on 28 March as advised. It said a temporary credit would come within 7 working days, but today is 15 April and nothing is credited. Please check what is going on with it.", "B", "disp", "P"),
        ("Also, will I be charged interest on this amount, since it is still counted in my outstanding?", "B", "disp int", ""),
    ]),
    # M8 lost card (account -> billing -> technical)
    ("whatsapp", [
        ("lost my wallet and the kreditkite card was in it. what do i do first", "A", "block sec", ""),
        ("blocked it from the app. will the new card cost me anything", "B", "fees block", ""),
        ("ok. and the card i added in gpay will that stop working now?", "T", "upi block", ""),
    ]),
    # M9 KK-402, unlock request (account -> billing)
    ("chat", [
        ("app says KK-402 too many attempts. what now", "A", "otp", ""),
        ("bill due tonight and it's 11:40 already. unlock it from your side please", "A", "otp", "P"),
        ("so is there any way to pay the bill without logging in?", "B", "pay", ""),
    ]),
    # M10 EMI conversion, foreclosure, card closure (billing -> account)
    ("whatsapp", [
        ("bought an iphone for 79,900 on the kreditkite card last week. can i make it emi now", "B", "emi", ""),
        ("what's the monthly amt roughly for 12 months and is there any processing fee", "B", "emi fees", ""),
        ("done, chose 12 months. if i close the emi early after 4-5 months any charges?", "B", "emi", ""),
        ("also thinking of closing the card once that's done. what's the process", "A", "close", ""),
    ]),
    # M11 OTP not arriving, third unresolved, then biometric login
    ("chat", [
        ("otp not coming on my number for login", "A", "otp", ""),
        ("waited 5 min and hit resend twice. nothing. network is fine, other otps are coming", "A", "otp", ""),
        ("still no otp, half an hour now. third time i'm saying it and my bill is due tomorrow", "A", "otp", "T"),
        ("ok got it through the whatsapp option finally. btw how do i turn on fingerprint login so i dont need otp every time", "A", "sec otp", ""),
    ]),
    # M12 device binding KK-304, third unresolved, then asks for a call (technical -> general)
    ("whatsapp", [
        ("upi setup stuck on verifying mobile number, then KK-304", "T", "bind", ""),
        ("jio sim with my registered no. is in slot 2 and i selected sim 2. still KK-304", "T", "bind", ""),
        ("moved the sim to slot 1, restarted phone. KK-304 again. nothing works", "T", "bind", "T"),
        ("pls arrange a call from someone technical, this chat isn't helping me", "G", "support", "H"),
    ]),
    # M13 closure and no-dues certificate, corrected NDC, bureau status
    ("email", [
        ("Hi, I closed my KreditKite card on 2 May after clearing everything. When will I get the no-dues certificate? I need it for a home loan application.", "A", "close", ""),
        ("I received the NDC today, thank you. However my name is spelt 'Shreyas Kulkarani' instead of 'Shreyas Kulkarni' and the bank will not accept it. Please send a corrected certificate.", "A", "close", "P"),
        ("Also my CIBIL report still shows the card as active. How long before it shows as closed?", "A", "score close", ""),
    ]),
    # M14 rewards
    ("chat", [
        ("how many coins on a 1000 rs spend? i'm on classic", "B", "rew", ""),
        ("and min coins needed to redeem?", "B", "rew", ""),
    ]),
    # M15 scam call, shared OTP, fraud team call (general -> account)
    ("chat", [
        ("got a call from kreditkite 'risk team' saying my card will be blocked today, they asked for otp. is this real??", "G", "safe", ""),
        ("i already gave it before checking. now i see a 12,000 txn i never did", "A", "sec block", ""),
        ("blocked the card and reported it in the app. i want someone from the fraud team to call me today", "A", "sec", "H"),
    ]),
    # M16 KiteFlex basics
    ("whatsapp", [
        ("what is kiteflex, is it different from the card?", "G", "flex how", ""),
        ("do i need to do kyc again for it", "A", "kyc flex", ""),
    ]),
    # M17 credit score, wrong DPD removal, follow-up
    ("chat", [
        ("my cibil dropped 40 points this month, is it because of kreditkite?", "A", "score", ""),
        ("report shows 30 DPD for jan on kreditkite but i paid on 6th jan, one day late only. get it removed from cibil pls", "A", "score int", "P"),
        ("and how long will that take to show?", "A", "score", ""),
    ]),
    # M18 limit increase with income proof, overdue review
    ("email", [
        ("Hello team, I recently got a salary hike and would like a higher limit on my KreditKite card (currently Rs 40,000). The card is 9 months old. What documents should I share?", "A", "limit", ""),
        ("I uploaded my last three salary slips in the app on Monday. It said a decision in 3 working days, but this is the 6th working day and the status still says 'under review'. Could someone look into it?", "A", "limit", "P"),
    ]),
    # M19 KK-110 overdue freeze, paid, still frozen
    ("whatsapp", [
        ("card not working anywhere, shows KK-110", "B", "int codes", ""),
        ("paid the min due 3,200 just now on gpay. when will the card start working", "B", "int", ""),
        ("3 hrs done, still KK-110 at the billing counter. money is gone from my account", "B", "int", "P"),
    ]),
    # M20 support hours, bare request, annual fee reversal (general -> billing)
    ("chat", [
        ("what time are agents available on chat", "G", "support", ""),
        ("connect me to one now then", "G", "", "H NB"),
        ("it's about the annual fee. got charged 590 on gold card but i spent way more than 75k last year. reverse it", "B", "fees", "P"),
    ]),
]

# ---------------------------------------------------------------- single-turn
SINGLE = [
    # technical
    ("chat", "how do i link kreditkite card to gpay", "T", "upi", ""),
    ("whatsapp", "KK-204 at the sabzi wala's qr but works at big stores. why", "T", "upi decl", ""),
    ("chat", "can i send money to my friend's upi id from the credit card", "T", "upi", ""),
    ("email", "Hello, I set my UPI PIN for the KreditKite card last night but every payment today fails with KK-203. I am entering the same digits I set. Is something wrong with the card?", "T", "decl bind", ""),
    ("whatsapp", "upi pin locked KK-305 what to do", "T", "bind", ""),
    ("chat", "forgot the upi pin for credit card, how to reset", "T", "bind", ""),
    ("chat", "payment on amazon failed KK-205", "T", "ctrl decl", ""),
    ("whatsapp", "how to switch on online txns for my card", "T", "ctrl", ""),
    ("chat", "can i set a max of 5000 per upi payment on my card? my son uses my phone sometimes", "T", "ctrl", ""),
    ("chat", "app crashes right after the splash screen. samsung m31, android 12", "T", "app", ""),
    ("whatsapp", "KK-501 update required but play store shows no update", "T", "app", ""),
    ("chat", "app says KK-503 device not secure. i haven't rooted anything", "T", "app", ""),
    ("email", "Hi, the KreditKite app shows KK-500 'something went wrong' whenever I open the rewards tab. Other tabs work fine and I have logged out and in again. Is there an outage?", "T", "app", ""),
    ("chat", "not getting sms alerts for card txns since last week", "T", "alerts", ""),
    ("whatsapp", "can i get txn alerts on whatsapp instead of sms", "T", "alerts", ""),
    ("chat", "KK-303 shown at checkout but 2,150 got deducted from my limit. merchant says they didnt receive it", "T", "decl disp", ""),
    ("chat", "KK-202 meaning?", "T", "codes decl", ""),
    ("whatsapp", "app not installing on my old iphone 6", "T", "app", ""),
    ("chat", "paytm says 'credit card not allowed for this merchant'", "T", "upi", ""),
    ("chat", "first payment after linking failed, it was 7k. smaller ones going through. why", "T", "upi", ""),
    ("email", "Dear Support, I have moved to a new phone (Pixel 7) with the same SIM. The KreditKite card no longer shows in Google Pay, and when I add it again it gets stuck at SMS verification. Kindly advise.", "T", "bind upi", ""),
    ("chat", "tap to pay not working on the physical card at dmart pos", "T", "ctrl", ""),
    ("whatsapp", "swipe machine pe card pin kaha set karna hai? upi pin alag hai na", "T", "block ctrl", ""),
    ("chat", "third time this week KK-303 at checkout. USELESS APP. moving to a proper bank card", "T", "decl codes", "X"),
    ("whatsapp", "your app is pathetic, every time i open statements it throws me out. fix it or im uninstalling", "T", "app", "X"),
    ("chat", "declined KK-201 but my available limit is 20k and the bill was 3k", "T", "decl", ""),
    ("whatsapp", "KK-305 pin locked and i'm at the hospital billing counter. unlock it right now, i can't wait 24 hrs", "T", "bind", "P"),
    ("chat", "can i use kreditkite on my apple watch to pay", "T", "", "NL"),
    ("chat", "how do i add my kreditkite card to google wallet for tap and pay", "T", "", "NL"),
    ("whatsapp", "how to set up netflix autopay on the kreditkite card using upi mandate", "T", "", "NL"),
    ("email", "Hello, I am building an expense tracker for my small team. Does KreditKite offer an API or automatic feed of card transactions that I can connect to it?", "T", "", "NL"),
    ("chat", "upi payment shows success in phonepe but kreditkite app doesn't show the txn yet", "T", "upi", ""),
    ("whatsapp", "where do i see card number and cvv for online shopping", "T", "ctrl", ""),
    ("chat", "KK-302 while setting upi pin, i entered last 6 digits and expiry correctly", "T", "bind", ""),
    ("chat", "getting 2 notifications for every single txn, how to stop the duplicate", "T", "alerts", ""),
    # account
    ("email", "Hello, I lost my old SIM and that number is now deactivated. Please change the registered mobile number on my KreditKite account to my new number 98XXXXX561.", "A", "details", "P"),
    ("whatsapp", "email change karna hai, verification link nahi aa raha", "A", "details", ""),
    ("chat", "moved to bangalore, how to update my address for card delivery", "A", "details", ""),
    ("chat", "what does KK-409 mean and how long does it take to get it sorted", "A", "sec", ""),
    ("whatsapp", "what is KK-404, i got logged out", "A", "otp", ""),
    ("chat", "KK-403 number not registered but the card is on this number only", "A", "otp", ""),
    ("chat", "i think someone logged into my account, got an otp i never asked for", "A", "sec", ""),
    ("email", "Hi, my video KYC call got disconnected midway because of network issues. The app has shown 'KYC under review' for two days now. Will I have to redo it?", "A", "kyc", ""),
    ("whatsapp", "video kyc timings?", "A", "kyc", ""),
    ("chat", "WHY IS MY VIDEO KYC REJECTED 3 TIMES. WASTE OF MY TIME. DELETING THIS APP", "A", "kyc", "X"),
    ("whatsapp", "i blocked my card by mistake instead of lock. pls unblock it", "A", "block", "P"),
    ("chat", "my limit got reduced from 60k to 35k without any intimation!! why??", "A", "limit", ""),
    ("chat", "how often can i ask for a limit increase", "A", "limit", ""),
    ("whatsapp", "does checking my credit score in the kreditkite app reduce it", "A", "score", ""),
    ("email", "Dear team, I want to close my KreditKite card. I have one EMI running with three instalments left. Can I close now or do I need to finish the EMI first?", "A", "close emi", ""),
    ("chat", "close my kreditkite account. just do it from your end, i don't want to go through the app", "A", "close", "P"),
    ("chat", "please delete all my data and kyc documents from your servers", "A", "", "NU"),
    ("whatsapp", "need my statements from 2021 for a visa application, app only shows last 2 years", "A", "", "NU"),
    ("email", "Respected Sir/Madam, my father Mr. Ramesh Iyer passed away last month. He had a KreditKite card with about Rs 18,000 outstanding. What is the process for the family to settle and close it?", "A", "", "NU"),
    ("chat", "i have two kreditkite accounts, one on old number one on new. can u merge them", "A", "", "NU"),
    ("chat", "YOU PEOPLE REPORTED ME AS A DEFAULTER TO CIBIL FOR 800 RUPEES. FIX IT NOW OR I GO TO CONSUMER COURT", "A", "score", "X P"),
    ("chat", "my name on the app is spelt wrong, how do i correct it", "A", "details", ""),
    ("email", "Hi, I want to order the physical KreditKite card. Where do I set the card PIN once it arrives, and do I need to activate it separately?", "A", "block", ""),
    # billing
    ("chat", "due date kab hai mera", "B", "stmt", ""),
    ("whatsapp", "min due vs total due, which one should i pay", "B", "stmt int", ""),
    ("chat", "gold card annual fee kitna hai aur waive kaise hota hai", "B", "fees", ""),
    ("email", "Hello, I paid my bill of Rs 12,300 through my bank's BBPS option on the evening of the due date, but the KreditKite app still shows it as unpaid and I am worried about a late fee. When will it reflect?", "B", "pay int", ""),
    ("chat", "interest rate kitna hai?", "B", "int", ""),
    ("whatsapp", "KK-101 while paying bill through hdfc netbanking", "B", "pay codes", ""),
    ("chat", "can i pay my card bill using another credit card", "B", "pay", ""),
    ("chat", "how to set autopay for full amount, not minimum", "B", "auto", ""),
    ("chat", "can an executive call me? want to understand the interest on my last bill, the numbers don't add up", "B", "int stmt", "H"),
    ("chat", "which purchases can be converted to emi? my bill is 1800 only", "B", "emi", ""),
    ("chat", "got a refund from myntra but it hasn't reduced my bill", "B", "disp", ""),
    ("whatsapp", "what a joke of a rewards program. 0 coins on my 8000 rent payment. fraud company, posting this on twitter", "B", "rew", "X"),
    ("chat", "my coins expired!! 1,450 coins just gone. add them back", "B", "rew", "P"),
    ("email", "Dear KreditKite, I was charged a late fee of Rs 590 this month. I have been a customer for two years and this is the first time I missed the date, as I was in hospital. I request you to kindly waive it as a one-time gesture.", "B", "int", "P"),
    ("chat", "paid 5k extra by mistake through neft. refund it to my bank account", "B", "pay", "P"),
    ("whatsapp", "CHARGED 1180 LATE FEE PLUS INTEREST WHEN I PAID ON THE 6TH. THIS IS CHEATING", "B", "int", "X"),
    ("chat", "double charged at swiggy, 2 txns of 486 for one order", "B", "disp", ""),
    ("chat", "can i transfer my hdfc credit card balance to kreditkite to save on interest", "B", "", "NL"),
    ("whatsapp", "can i convert my whole bill of 42k into emi", "B", "", "NL"),
    ("chat", "want to shift my due date to the 15th every month, salary comes on 10th", "B", "", "NL"),
    ("email", "Hello, I have Rs 46,000 overdue on my KreditKite card after losing my job. Can I settle it for a lower one-time amount and close the card?", "B", "", "NU"),
    ("chat", "is the cashback i got taxable? do i show it in itr", "B", "", "NU"),
    ("chat", "need a GST invoice for the annual fee with my company GSTIN for reimbursement", "B", "", "NU"),
    ("whatsapp", "autopay set hai toh bhi reminder sms kyu aa raha hai? will it still debit on due date", "B", "auto", ""),
    # general
    ("chat", "what is kreditkite? a credit card or a loan app", "G", "how", ""),
    ("whatsapp", "who issues the card, which bank", "G", "partners", ""),
    ("chat", "am 20 years old, can i apply", "G", "elig", ""),
    ("email", "Hello, I am a self-employed tailor earning around Rs 25,000 a month but I do not have salary slips. Am I eligible for the KreditKite card, and which documents will I need?", "G", "elig", ""),
    ("chat", "application rejected, why? my cibil is 750", "G", "elig", ""),
    ("whatsapp", "kiteflex limit kitna milta hai", "G", "flex", ""),
    ("chat", "is kiteflex interest free?", "G", "flex", ""),
    ("chat", "someone called saying they're from kreditkite and asked me to install anydesk to increase my limit. genuine?", "G", "safe", ""),
    ("whatsapp", "got a collect request of 4999 in gpay named 'kreditkite cashback', should i accept", "G", "safe", ""),
    ("chat", "customer care number?", "G", "support", ""),
    ("whatsapp", "are agents there on sunday", "G", "support", ""),
    ("email", "Dear Sir, I complained about a wrong late fee three weeks ago (ref KKC-88213) and have only received automated replies since. To whom can I escalate this?", "G", "griev support", ""),
    ("chat", "how to complain to rbi ombudsman about kreditkite", "G", "griev", ""),
    ("chat", "what is the key fact statement, where do i find mine", "G", "partners", ""),
    ("whatsapp", "kiteflex le liya galti se, bina charge cancel ho sakta hai?", "G", "partners flex", ""),
    ("chat", "agent please", "G", "", "H NB"),
    ("whatsapp", "pls call me back 98XXXXX214", "G", "", "H NB"),
    ("chat", "i want to talk to a real person not a bot", "G", "", "H NB"),
    ("chat", "your bot is useless. get me a manager right now", "G", "", "H X NB"),
    ("chat", "can i withdraw cash from an atm with the kreditkite card", "G", "", "NL"),
    ("whatsapp", "going to dubai next month, will my kreditkite card work there", "G", "", "NL"),
    ("email", "Hello, can I get an add-on card for my wife on my KreditKite account? She does not have her own income.", "G", "", "NL"),
    ("chat", "my cibil is low (620). do you give a card against an fd?", "G", "", "NL"),
    ("chat", "does the gold card come with airport lounge access", "G", "", "NL"),
    ("whatsapp", "i'm an nri with an nre account, can i apply", "G", "", "NL"),
    ("email", "Hi, we are a 12-person startup. Do you offer corporate cards with a separate limit for each employee?", "G", "", "NL"),
    ("chat", "any openings at kreditkite for backend devs?", "G", "", "NU"),
    ("whatsapp", "i run a kirana store, how do i tie up with kreditkite so customers get offers at my shop", "G", "", "NU"),
    ("email", "Hello, I work as a loan agent and would like to become a DSA / referral partner for KreditKite cards. Whom should I contact about commission?", "G", "", "NU"),
    ("chat", "is kreditkite rbi registered", "G", "partners", ""),
    ("whatsapp", "difference between classic and gold", "G", "how fees", ""),
    ("email", "Good afternoon. I wish to raise a formal complaint: your collection team called my office six times in one day about a Rs 2,100 due and spoke rudely to my colleague. If this happens again I will approach the consumer forum.", "G", "griev", "X"),
    ("whatsapp", "KREDITKITE IS A SCAM. hidden charges everywhere. uninstalling and telling everyone on insta", "G", "griev", "X"),
    ("chat", "do kiteflex and the card come on separate bills?", "G", "flex", ""),
    ("whatsapp", "how do i report a fraud txn at night when chat agents are offline", "G", "support sec", ""),
    ("chat", "sms says my kreditkite kyc expires today, click link to update. legit?", "G", "safe", ""),
    ("email", "Hello, when I use KiteFlex, who is my loan actually with - KreditKite or Ankur Finserv? My bank statement shows a different name.", "G", "partners flex", ""),
    ("chat", "which languages does support speak? my mother prefers tamil", "G", "support", ""),
    ("whatsapp", "grievance officer email id?", "G", "griev", ""),
    ("chat", "please have someone call me and explain the kiteflex charges, i don't get the bill", "G", "flex", "H"),
    ("chat", "do i need a salary account with tarang bank to get the card", "G", "elig", ""),
]

HEADER = ["ticket_id", "conversation_id", "turn", "message", "expected_intent",
          "expected_escalate", "expected_doc", "channel"]


def conversations():
    """Multi-turn conversations spread among the single-turn ones (fixed seed)."""
    convs = [(ch, turns) for ch, turns in MULTI]
    singles = [(ch, [(m, i, d, r)]) for ch, m, i, d, r in SINGLE]
    rng = random.Random(1414)
    rest = convs[1:] + singles
    rng.shuffle(rest)
    return [convs[0]] + rest


def build():
    rows, reasons = [], []
    n = 0
    for ci, (channel, turns) in enumerate(conversations(), start=1):
        for ti, (msg, intent, docs, why) in enumerate(turns, start=1):
            n += 1
            tid = "KK-T%04d" % n
            doc = "|".join(DOCS[k] for k in docs.split())
            codes = why.split()
            rows.append([tid, "C%03d" % ci, str(ti), msg, INTENTS[intent],
                         "true" if codes else "false", doc, channel])
            for c in codes:
                reasons.append([tid, REASONS[c]])
    with open(os.path.join(HERE, "tickets.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    with open(os.path.join(HERE, "escalation_reasons.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "reason"])
        w.writerows(reasons)
    print("wrote %d rows, %d reasons" % (len(rows), len(reasons)))


if __name__ == "__main__":
    build()
