#!/usr/bin/env python3
"""Generates tickets.csv and escalation_reasons.csv for the ReelRasta training product.

Every row is (message, intent, escalate, docs, reasons). `reasons` is empty for
non-escalated rows; for escalated rows it is a ';'-joined list of:
human, angry, privileged, third_unresolved,
no_article_capability, no_article_uncovered, no_article_bare_request.
Python 3 standard library only. Run from anywhere: writes next to this file.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

B_PLANS = "billing/plans-and-prices.md"
B_CHANGE = "billing/changing-plans.md"
B_AUTOPAY = "billing/payment-methods-and-autopay.md"
B_ERR = "billing/payment-errors.md"
B_REFUND = "billing/refunds-and-cancellation.md"
B_PROMO = "billing/promo-codes-and-offers.md"
B_GST = "billing/gst-invoices.md"
B_STORE = "billing/telecom-and-app-store-billing.md"
T_CODES = "technical/error-codes.md"
T_PLAY = "technical/playback-errors-and-buffering.md"
T_QUAL = "technical/video-quality-and-4k.md"
T_DL = "technical/downloads.md"
T_TV = "technical/smart-tv-and-casting.md"
T_SUBS = "technical/subtitles-and-audio.md"
T_APP = "technical/app-errors.md"
A_OTP = "account/otp-sign-in.md"
A_TV = "account/signing-in-on-tv.md"
A_DEV = "account/devices-and-streams.md"
A_PROF = "account/profiles-and-parental-controls.md"
A_SEC = "account/account-security.md"
A_CONTACT = "account/contact-details-and-notifications.md"
A_DEL = "account/deleting-your-account.md"
G_HOW = "general/how-reelrasta-works.md"
G_LIB = "general/content-library-and-new-releases.md"
G_RENT = "general/rent-a-movie.md"
G_REQ = "general/content-requests-and-complaints.md"
G_ABROAD = "general/watching-outside-india.md"
G_DEVICES = "general/supported-devices.md"
G_SHARE = "general/sharing-and-household-rules.md"
G_SUPPORT = "general/support-and-contact.md"

B, T, A, G = "billing", "technical", "account", "general"
NONE = ""
CAP = "no_article_capability"
UNC = "no_article_uncovered"
BARE = "no_article_bare_request"


def d(*docs):
    return "|".join(docs)


def r(msg, intent, docs, reasons=""):
    return (msg, intent, bool(reasons), docs, reasons)


# ---------------------------------------------------------------- multi-turn
MULTI = [
    ("chat", [  # Samsung TV buffering, third unresolved, then plan change
        r("movies keep buffering on my samsung tv since yesterday. wifi is 100 mbps and speedtest is fine", T, d(T_PLAY, T_TV)),
        r("restarted router and the tv app both. still stuck at spinning circle every 10 sec", T, d(T_PLAY, T_TV)),
        r("cleared cache, reinstalled, moved to 5ghz band. STILL buffering every few mins. this is the third time im telling u the same thing", T, d(T_PLAY, T_TV), "third_unresolved"),
        r("phone plays fine on same wifi btw, only the tv. tv is a 2017 model if that matters", T, d(T_TV, G_DEVICES)),
        r("ok if the tv is too old then whats the point of premium 4k for me. can i shift to super for the rest of my annual plan", B, d(B_CHANGE)),
        r("and the balance money for the remaining months, comes back or not?", B, d(B_CHANGE, B_REFUND)),
    ]),
    ("whatsapp", [  # RR-102 pending, third unresolved
        r("paid 295 for super thru phonepe, app showing RR-102 payment pending", B, d(B_ERR)),
        r("30 min ho gaye, still pending", B, d(B_ERR)),
        r("next morning now. money debited, plan not active, RR-102 still showing. nothing fixed", B, d(B_ERR), "third_unresolved"),
        r("shd i pay again by card? want to watch tonight", B, d(B_ERR, B_AUTOPAY)),
        r("paid by card, working now. so the phonepe 295 will come back by itself right?", B, d(B_ERR)),
    ]),
    ("chat", [  # OTP not arriving, then RR-402
        r("otp not coming on my number 98XXXXXX21", A, d(A_OTP)),
        r("waited 5 min, resent twice. nothing on sms", A, d(A_OTP)),
        r("tried the whatsapp otp option, entered it and now RR-402. still cant login", A, d(A_OTP), "third_unresolved"),
        r("can you remove this block from your side? kids are waiting to watch", A, d(A_OTP), "privileged"),
        r("ok 30 mins over and i'm in. how do i stop this happening again", A, d(A_OTP)),
    ]),
    ("chat", [  # RR-303 downloads before a flight
        r("downloaded 3 movies for my flight and now they show RR-303 download expired", T, d(T_DL)),
        r("im online now, tapped renew, it spins and shows RR-303 again", T, d(T_DL)),
        r("deleted and downloaded again, plays 2 seconds then RR-303. still same. flight in 3 hours", T, d(T_DL), "third_unresolved"),
        r("also the downloads page says 24 of 25 used. does deleting free it up immediately?", T, d(T_DL)),
    ]),
    ("email", [  # RR-405 TV code on an LG TV
        r("Hello, I am trying to sign in on our LG TV in the living room. I enter the 8-character code shown on the TV at reelrasta.in/tv but it says RR-405 code invalid. Please help.", A, d(A_TV)),
        r("I generated a new code as suggested and entered it within a minute, but it still says RR-405. The phone and TV are on the same home Wi-Fi.", A, d(A_TV)),
        r("This is the third time I am writing about this. Today I tried a fresh code again and also the Link a TV option in the mobile app. Same RR-405 error. We still cannot watch anything on the TV.", A, d(A_TV, T_TV), "third_unresolved"),
    ]),
    ("whatsapp", [  # new release -> rental price -> window -> GST bill
        r("new kannada release this friday coming on reelrasta or not?", G, d(G_LIB)),
        r("its showing rent ₹118 even though i have super plan. why??", B, d(G_RENT, B_PLANS)),
        r("ok rented it. 48 hrs from now or from when i press play?", G, d(G_RENT)),
        r("how to get gst bill for this rental, need it for office claim", B, d(B_GST)),
    ]),
    ("chat", [  # parental PIN, then RR-103
        r("how do i set a pin so my son cant open A rated movies", A, d(A_PROF)),
        r("done. but kids profile is showing a UA 16+ trailer on top, is that normal?", A, d(A_PROF, G_REQ)),
        r("one more thing, autopay failed this month with RR-103 but there is balance in the account", B, d(B_AUTOPAY)),
        r("will it retry by itself or should i pay manually? dont want the kids show to stop", B, d(B_AUTOPAY)),
    ]),
    ("email", [  # GSTIN reissue, then deleting an old account
        r("Dear team, I took the annual Super plan on the 3rd of this month for ₹2,950 but forgot to add my company GSTIN before paying. Could you please reissue the invoice with GSTIN 33AAXXXXXXX1Z5? Regards, Karthik", B, d(B_GST), "privileged"),
        r("Thank you. Separately, if I delete my old personal ReelRasta account on my other number, will I lose the two films I rented there?", A, d(A_DEL, G_RENT)),
        r("Understood. Please go ahead and delete that old account for me. The number is 90XXXXXX45 and I don't have that phone with me any more.", A, d(A_DEL), "privileged"),
    ]),
    ("whatsapp", [  # RR-202 abroad, then autopay
        r("RR-202 on my phone, nothing plays", G, d(G_ABROAD, T_CODES)),
        r("yes im in singapore for work. will the downloaded ones play at least?", G, d(G_ABROAD, T_DL)),
        r("ok. and my monthly autopay will still go during these 2 weeks? its an indian card", B, d(B_AUTOPAY, G_ABROAD)),
    ]),
    ("chat", [  # RR-302, then upgrade
        r("RR-302 device limit reached when logging in on new phone", A, d(A_DEV)),
        r("removed the old tab, working now thanks. btw which plan lets 4 people watch at once", B, d(B_PLANS, A_DEV)),
        r("upgrading to premium now. do i pay full 472 or just the difference", B, d(B_CHANGE)),
    ]),
    ("whatsapp", [  # old Bravia, then Chromecast RR-503
        r("which tvs support reelrasta? have an old sony bravia from 2016", G, d(G_DEVICES)),
        r("ok then chromecast it is. bought one, cast icon shows but RR-503 casting failed", T, d(T_TV)),
        r("both on same wifi, app updated. still RR-503", T, d(T_TV)),
    ]),
    ("chat", [  # sharing rules, then profiles
        r("can my sister in hyderabad use my account? we live in different houses", G, d(G_SHARE)),
        r("ok got it. how do i make a separate profile for my amma then, she watches only malayalam", A, d(A_PROF)),
        r("can her profile have a lock so the kids dont go into it", A, d(A_PROF)),
    ]),
    ("email", [  # renewal after cancelling, angry
        r("I cancelled auto-renewal last month (screenshot attached) and today ₹4,720 was debited again for the annual Premium 4K plan. This is cheating. Refund it to my bank account immediately or I will file a case in consumer court.", B, d(B_REFUND, B_AUTOPAY), "angry;privileged"),
        r("Also send me the GST invoice for whatever you charged, I need to attach it to my complaint.", B, d(B_GST)),
    ]),
    ("whatsapp", [  # missing subtitles, then dub request
        r("subtitles not coming for the malayalam movie im watching. CC icon is there but only 'off' option", T, d(T_SUBS)),
        r("other movies have english subs, only this one doesnt", T, d(T_SUBS, G_REQ)),
        r("ok reported. also can u add telugu dub for this, wife doesnt understand malayalam", G, d(G_REQ, T_SUBS)),
        r("approx when will it be added?", G, d(G_REQ)),
    ]),
    ("chat", [  # someone else on the account, RR-409
        r("someone else is using my account. tamil shows in continue watching that i never watched", A, d(A_SEC, A_DEV)),
        r("did sign out of all devices. now it says RR-409 account locked", A, d(A_SEC)),
        r("pls unlock it today itself, sending my aadhaar photo and selfie now", A, d(A_SEC), "privileged"),
    ]),
    ("email", [  # RR-104 promo, then apply after paying
        r("Hi, I received the promo code RRDIWALI50 by SMS but at checkout it says RR-104 code not valid. The SMS says it is valid till the 15th and today is the 10th. Kindly check.", B, d(B_PROMO)),
        r("I have gone ahead and paid the full amount because I needed it for the weekend. Can you apply the 50% discount now and refund the difference to my card?", B, d(B_PROMO, B_REFUND), "privileged"),
    ]),
    ("whatsapp", [  # telecom bundle RR-120
        r("did tarang mobile 599 recharge with reelrasta included. app says RR-120 bundle not linked", B, d(B_STORE)),
        r("its been 6 hrs, same number on both. recharge id TM8XXXXX2231, pls link it manually", B, d(B_STORE), "privileged"),
    ]),
    ("chat", [  # rental RR-201, then a person
        r("rented movie stopped at interval and now RR-201 on every retry", T, d(T_PLAY, G_RENT)),
        r("just connect me to a real person, my rental time is running out", G, NONE, "human;" + BARE),
    ]),
    ("chat", [  # free trial, then deleting
        r("how does reelrasta work exactly, any free plan or trial?", G, d(G_HOW)),
        r("ok no trial. i already made an account, how do i delete it if i dont subscribe", A, d(A_DEL)),
        r("will my email id be free again so i can use it later for a new account", A, d(A_DEL)),
    ]),
    ("whatsapp", [  # 1080p on old Fire TV stick, then refund
        r("paying for premium 4k but movies play only in 1080p on my fire tv stick", T, d(T_QUAL)),
        r("its the old fire stick, not the 4k one. then plan is useless for me, refund the remaining 8 months to my account", B, d(B_REFUND, B_CHANGE), "privileged"),
    ]),
]

# ---------------------------------------------------------------- single-turn
SINGLE = [
    # no article: capabilities ReelRasta lacks, worded to look answerable
    ("chat", r("how do i start a watch party on reelrasta? want to watch the new thriller with my friends in blore at the same time, each on our own phones", T, NONE, CAP)),
    ("whatsapp", r("can i gift 1 yr premium 4k to my parents in kolkata? they have their own mobile no. want to pay from my card", B, NONE, CAP)),
    ("whatsapp", r("student discount hai kya? i have my college id card, engg 2nd yr", B, NONE, CAP)),
    ("chat", r("where do i find my referral code? my friend said both of us get a free month if i invite him", B, NONE, CAP)),
    ("chat", r("can i pay the annual premium 4k plan in 3 month emi on my hdfc credit card? dont see emi option at checkout", B, NONE, CAP)),
    ("email", r("Hello, I teach a film appreciation course and would like to download the English subtitle file (.srt) for a Marathi film on ReelRasta so my students can study the translation. Where in the app can I export it? Thanks, Prof. Deshmukh", T, NONE, CAP)),
    ("whatsapp", r("where is 1.5x speed option in player? youtube has it, cant find in reelrasta", T, NONE, CAP)),
    ("chat", r("do you have a mac app? using reelrasta in a chrome tab is annoying, want a proper app on my macbook air", T, NONE, CAP)),
    ("chat", r("how can i buy a movie permanently instead of renting for 48 hrs? want it in my library forever for my kids", G, NONE, CAP)),
    ("whatsapp", r("which section has live cricket? tnpl match starting at 7", G, NONE, CAP)),
    ("email", r("Dear ReelRasta team, my father lost most of his eyesight last year but still loves Tamil films. Does ReelRasta offer audio description tracks for visually impaired viewers, and how do we switch them on from the TV remote? Thank you.", T, NONE, CAP)),
    ("whatsapp", r("can i set a sleep timer so serial stops after 30 mins? paati falls asleep and it plays whole night", T, NONE, CAP)),
    ("chat", r("how to book theatre tickets for friday's big release from the reelrasta app? saw the trailer in the app", G, NONE, CAP)),
    # no article: other uncovered topics
    ("email", r("Hi, I'm an independent filmmaker from Pune. We have a 95-minute Marathi feature with a censor certificate and English subtitles ready. How do we submit it to ReelRasta for licensing, and who should we send the screener link to? Regards, Aniket", G, NONE, UNC)),
    ("whatsapp", r("are you hiring bengali subtitle translators? doing freelance work, have 3 yrs exp", G, NONE, UNC)),
    ("chat", r("we run a small restaurant in kochi. can we play reelrasta movies on the tv for our customers with a normal premium plan?", G, NONE, UNC)),
    ("chat", r("ur new original series is already on a telegram channel with full episodes. where do i report piracy", G, NONE, UNC)),
    ("email", r("To whom it may concern, under the Digital Personal Data Protection Act I request a copy of all personal data ReelRasta holds about me, including my viewing history, devices and payment records, linked to the mobile number ending 4417. Please confirm the timeline.", A, NONE, UNC)),
    ("chat", r("i have 2 reelrasta accounts, old one on email and new one on mobile no. can you merge the watch history and my list into the new one", A, NONE, UNC)),
    ("email", r("Hello, my father passed away last month. His annual Premium 4K plan is on his mobile number, which we have since surrendered. How do we move the remaining months to my mother's account, or close it? We have the death certificate. Thank you, Meenakshi", A, NONE, UNC)),
    ("email", r("Hi team, we are a Chennai-based saree brand and would like to run 20-second video ads before Tamil films on ReelRasta during Pongal. Please share your ad rates and the contact for brand partnerships.", G, NONE, UNC)),
    ("whatsapp", r("trailers autoplay in 4k on the home page and ate my full 2gb daily data in 1 hr. will reelrasta compensate for the extra data pack i had to buy?", B, NONE, UNC)),
    ("email", r("Sir, I need a statement of my ReelRasta watch history for the last 6 months with dates and times, on your letterhead, to submit in a family court matter. Please advise how to obtain it.", A, NONE, UNC)),
    # no article: bare requests for a person
    ("whatsapp", r("agent pls", G, NONE, "human;" + BARE)),
    ("chat", r("talk to a human", G, NONE, "human;" + BARE)),
    ("whatsapp", r("call me on 98XXXX4410 urgent", G, NONE, "human;" + BARE)),
    ("email", r("Please arrange for a customer care executive to call me today between 6 and 8 pm. Registered number ends with 7731. Thank you.", G, NONE, "human;" + BARE)),
    # a person asked for, on a topic an article covers
    ("chat", r("my premium 4k renewal got charged twice this month, 472 + 472. connect me to an agent", B, d(B_ERR), "human")),
    ("whatsapp", r("parental pin reset otp is going to my ex husband's number which is still the registered one. i need to speak to someone from your team", A, d(A_PROF, A_CONTACT), "human")),
    ("whatsapp", r("can someone from your team call my parents? the tv code login is too confusing for them, they're both 70+", A, d(A_TV), "human")),
    ("email", r("Hello, please arrange a call back regarding the GST invoices for our office subscription. The contact number is the one registered on the account. - Priya, Admin, Kaveri Textiles", B, d(B_GST), "human")),
    # angry
    ("whatsapp", r("WORST APP EVER. BUFFERING EVERY 2 MINUTES ON A 200 MBPS FIBRE WHILE YOUTUBE PLAYS 4K WITHOUT A SINGLE PAUSE", T, d(T_PLAY), "angry")),
    ("chat", r("you people are thieves. rented a movie for 118, it crashed with RR-201 right at the climax and now the 48 hrs are over. give my money back", B, d(G_RENT, T_PLAY), "angry;privileged")),
    ("chat", r("half the movies in my list vanished overnight without any warning. cancelling my subscription and uninstalling this joke of an app", G, d(G_LIB), "angry")),
    ("whatsapp", r("kids profile showed an A rated movie poster to my 8 yr old. im posting this on twitter and tagging the cyber cell", A, d(A_PROF, G_REQ), "angry")),
    ("email", r("For the third month in a row your autopay has debited my account two days before the renewal date. I am fed up with this. I am moving to another streaming app, and don't bother sending me offers to stay.", B, d(B_AUTOPAY), "angry")),
    ("chat", r("ur otp system is garbage. 20 min waiting for one sms, idiots", A, d(A_OTP), "angry")),
    ("whatsapp", r("WHY DOES MY TV LOG OUT EVERY SINGLE DAY?? ENTERING THE TV CODE AGAIN AND AGAIN. FIX IT", A, d(A_TV, A_DEV), "angry")),
    ("email", r("The subtitles in the Bengali series are out of sync by about five seconds in every episode. This is pathetic quality control for a paid app. Fix it this week or I will file a complaint with your grievance officer and post reviews everywhere.", T, d(T_SUBS, G_REQ), "angry")),
    ("whatsapp", r("stupid app keeps saying RR-501 update required but there is NO update in play store. useless fellows", T, d(T_APP), "angry")),
    # privileged actions
    ("chat", r("please refund last month's super plan to my bank account. i didnt watch anything, was travelling the whole month", B, d(B_REFUND), "privileged")),
    ("whatsapp", r("my RR-102 payment from 12 days back still not reversed. upi ref ending 9021. pls check where the money is", B, d(B_ERR), "privileged")),
    ("whatsapp", r("extend my rental by one more day pls, there was a power cut last night so couldnt finish the movie", G, d(G_RENT), "privileged")),
    ("chat", r("change my registered mobile from 98XXXXXX12 to my new number. lost the old sim so cant get otp on it", A, d(A_CONTACT), "privileged")),
    ("chat", r("5 device limit is full, joint family of 9 people here. pls increase to 8 devices for my account", A, d(A_DEV, G_SHARE), "privileged")),
    ("email", r("Dear Sir/Madam, ₹295 was auto-debited yesterday for the Super plan. I forgot to switch off auto-renew and I have not watched anything since. Kindly waive this renewal and return the amount. Regards, S. Banerjee", B, d(B_REFUND), "privileged")),
    ("chat", r("reverse the 4k rental charge pls, clicked it by mistake and it started playing for 2 seconds before i stopped", B, d(G_RENT, B_REFUND), "privileged")),
    ("whatsapp", r("subscribed via google play, play store refused my refund request. can you refund it from reelrasta side?", B, d(B_STORE), "privileged")),
    ("email", r("Hello, we run a small production office and forgot to add our GSTIN before paying. Please reissue the four invoices from April to July with GSTIN 29ABCXXXXX1Z2 and the company name Nila Frames LLP.", B, d(B_GST), "privileged")),
    ("email", r("Hi, the email on my account is an old office id that has been deactivated, so I can't click the verification link. Please change it to my personal email and also correct my name to Sreelakshmi R Nair.", A, d(A_CONTACT), "privileged")),
    ("whatsapp", r("account locked RR-409 after i logged in during goa trip. please unlock it, i've not done anything wrong", A, d(A_SEC), "privileged")),
    # calm, answerable: technical
    ("chat", r("what internet speed do i need for 4k on reelrasta", T, d(T_QUAL))),
    ("whatsapp", r("video keeps going blurry then clear again on 4g, happening only in reelrasta", T, d(T_PLAY, T_QUAL))),
    ("chat", r("getting RR-203 on my android phone for every movie. phone is not rooted", T, d(T_PLAY, T_CODES))),
    ("whatsapp", r("when i take screenshot or screen record the screen goes black, only audio. why?", T, d(T_PLAY))),
    ("whatsapp", r("how much data does 1 hr HD use? on 1.5gb/day pack", T, d(T_QUAL))),
    ("chat", r("how to turn on data saver", T, d(T_QUAL))),
    ("chat", r("RR-205 on every title since morning, spinning then error", T, d(T_PLAY))),
    ("whatsapp", r("how many movies can i download at a time", T, d(T_DL))),
    ("chat", r("all my downloads vanished after app update?", T, d(T_DL))),
    ("chat", r("can i download in 4k to watch offline on my ipad pro", T, d(T_DL, T_QUAL))),
    ("whatsapp", r("RR-304 download limit reached but only 3 movies on this phone", T, d(T_DL))),
    ("chat", r("how to change audio to tamil, movie is playing in hindi dub", T, d(T_SUBS))),
    ("whatsapp", r("subtitle font too small on tv, how to make it bigger", T, d(T_SUBS))),
    ("email", r("Hello, I have the Premium 4K plan and a 5.1 soundbar connected to my Sony TV by HDMI ARC. ReelRasta only plays stereo, even on titles marked Dolby 5.1. Other apps give surround sound. Is there a setting I am missing?", T, d(T_QUAL, T_TV))),
    ("chat", r("cast button not showing in the app. chromecast and phone on same wifi", T, d(T_TV))),
    ("chat", r("which lg tv models have the reelrasta app? mine is 2020 model", T, d(T_TV, G_DEVICES))),
    ("whatsapp", r("RR-501 on iphone 8", T, d(T_APP))),
    ("email", r("Hi, the ReelRasta app crashes the moment I open it on my Redmi Note 7 (Android 10). I have restarted the phone twice. What should I try next?", T, d(T_APP))),
    ("chat", r("RR-502 home page only grey boxes nothing loading", T, d(T_APP))),
    ("whatsapp", r("RR-504 device not supported?? my phone is just 2 yrs old", T, d(T_APP))),
    ("chat", r("how to clear cache of reelrasta on fire tv stick", T, d(T_TV, T_APP))),
    ("chat", r("audio and video out of sync only on tv app. phone is fine", T, d(T_PLAY, T_TV))),
    ("email", r("Hello, every time I play an episode on our Android TV it starts in very low quality and takes a couple of minutes to become sharp. Our broadband is 150 Mbps and we are on the Super plan. Is there a way to fix the quality to the highest setting?", T, d(T_QUAL, T_TV))),
    ("whatsapp", r("what is RR-305, came when i selected 4k", T, d(T_QUAL, T_CODES))),
    # calm, answerable: billing
    ("whatsapp", r("super plan yearly price?", B, d(B_PLANS))),
    ("chat", r("whats the difference between super and premium 4k other than 4k", B, d(B_PLANS))),
    ("chat", r("how to cancel autorenew? want to stop after this month", B, d(B_REFUND, B_AUTOPAY))),
    ("email", r("Hi, I bought the annual Super plan 4 days ago but I've only watched one film. If I cancel now, will I get my money back? Thanks, Rahul", B, d(B_REFUND))),
    ("whatsapp", r("can i pay thru net banking? papa's phone doesnt have upi", B, d(B_AUTOPAY))),
    ("chat", r("RR-101 card declined but 472 deducted from my account", B, d(B_ERR))),
    ("email", r("Hi, I subscribed through the App Store on my iPad. How do I cancel? I don't see a cancel option in ReelRasta's account page.", B, d(B_STORE))),
    ("whatsapp", r("my netganga fibre plan has reelrasta super included. how to activate it", B, d(B_STORE))),
    ("chat", r("where to download gst invoice for my premium plan", B, d(B_GST))),
    ("email", r("Hello, I'm on the monthly Super plan. Can I switch to the quarterly plan to save money, and when would the new price start?", B, d(B_CHANGE, B_PLANS))),
    # calm, answerable: account
    ("chat", r("how to login on my new phone", A, d(A_OTP))),
    ("whatsapp", r("RR-403 number not registered?? paying for 1 yr on this same number", A, d(A_OTP))),
    ("chat", r("RR-404 on my tablet, got signed out by itself", A, d(A_OTP, A_DEV))),
    ("whatsapp", r("how many profiles can i make", A, d(A_PROF))),
    ("chat", r("forgot parental pin", A, d(A_PROF))),
    ("whatsapp", r("how to delete a profile, cousin made one on my account and its messing up recommendations", A, d(A_PROF))),
    ("chat", r("RR-301 too many streams, but only i am watching?", A, d(A_DEV, A_SEC))),
    ("chat", r("where do i see which devices are logged in", A, d(A_DEV))),
    ("email", r("Hello, I want to change the email address on my ReelRasta account from my college email to my Gmail. How do I do that? Thanks.", A, d(A_CONTACT))),
    ("whatsapp", r("stop these whatsapp msgs about new releases, too many daily", A, d(A_CONTACT))),
    ("chat", r("change app language to bengali?", A, d(A_CONTACT))),
    ("email", r("Hello, I wish to permanently delete my ReelRasta account. My plan ends on the 28th. What will happen to my downloads and watch history, and can I reactivate it later if I change my mind?", A, d(A_DEL))),
    ("chat", r("where do i enter the tv code for samsung tv", A, d(A_TV))),
    ("whatsapp", r("got a login otp sms which i didnt request. is my account hacked?", A, d(A_SEC, A_OTP))),
    # calm, answerable: general
    ("chat", r("which languages do you have movies in", G, d(G_HOW, G_LIB))),
    ("whatsapp", r("is reelrasta free ah?", G, d(G_HOW))),
    ("chat", r("new malayalam movies come on which day", G, d(G_LIB))),
    ("chat", r("why is 'leaving soon' tag on half my watchlist", G, d(G_LIB))),
    ("whatsapp", r("RR-204 title not available, was watching it yesterday only", G, d(G_LIB))),
    ("email", r("Hello, a Telugu film released in theatres about five weeks ago. When does a new theatrical release usually come to ReelRasta, and will I have to rent it or is it included in my Super plan?", G, d(G_LIB, G_RENT))),
    ("chat", r("what does UA 13+ mean on the poster", G, d(G_LIB))),
    ("whatsapp", r("how to request a movie which is not on the app", G, d(G_REQ))),
    ("chat", r("episode 4 of the series plays in wrong language audio, how to report", G, d(G_REQ, T_SUBS))),
    ("whatsapp", r("rent a movie means how long i can watch", G, d(G_RENT))),
    ("chat", r("do i need a subscription to rent movies or can i just rent", G, d(G_RENT))),
    ("whatsapp", r("going to dubai for a month. reelrasta will work there?", G, d(G_ABROAD))),
    ("chat", r("can i use a vpn to watch while im in the us", G, d(G_ABROAD))),
    ("email", r("Hi, I'm flying to London next week for a conference. If I download a few episodes before I leave, will they play there? Thanks.", G, d(G_ABROAD, T_DL))),
    ("chat", r("does it work on apple tv", G, d(G_DEVICES))),
    ("chat", r("can i watch on laptop browser? which browsers work", G, d(G_DEVICES))),
    ("whatsapp", r("my parents live in madurai, can they use my premium account on their tv", G, d(G_SHARE, A_DEV))),
    ("chat", r("is it ok to share password with my roommate, we split the bill", G, d(G_SHARE))),
    ("whatsapp", r("customer care timings?", G, d(G_SUPPORT))),
    ("chat", r("whats the whatsapp number for support", G, d(G_SUPPORT))),
    ("email", r("Dear team, I reported an objectionable scene in a Kannada series two weeks ago through the app and have not heard back. How do I escalate this to your grievance officer?", G, d(G_SUPPORT, G_REQ))),
    ("email", r("Good evening. Could you tell me what ReelRasta Originals are and whether they are available on every plan, including the Mobile plan? I'm deciding which plan to take for my mother.", G, d(G_LIB, B_PLANS))),
    ("chat", r("do you have kannada web series or only movies", G, d(G_LIB))),
    ("whatsapp", r("a scene in the telugu film i watched is offensive to our community. how do i complain", G, d(G_REQ))),
    ("chat", r("can i watch a rented movie on tv and phone at the same time", G, d(G_RENT, A_DEV))),
]


def main():
    singles = list(SINGLE)
    random.Random(1414).shuffle(singles)
    n_s, n_m = len(singles), len(MULTI)
    slots = {round((k + 0.4) * n_s / n_m): MULTI[k] for k in range(n_m)}
    convs = []
    for i, (ch, row) in enumerate(singles):
        if i in slots:
            convs.append(slots[i])
        convs.append((ch, [row]))
    rows, reasons = [], []
    n = 0
    for ci, (ch, turns) in enumerate(convs, 1):
        for ti, (msg, intent, esc, docs, why) in enumerate(turns, 1):
            n += 1
            tid = "RS-T%04d" % n
            rows.append([tid, "C%03d" % ci, str(ti), msg, intent,
                         "true" if esc else "false", docs, ch])
            if esc:
                reasons.append([tid, why])
    with open(os.path.join(HERE, "tickets.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "conversation_id", "turn", "message", "expected_intent",
                    "expected_escalate", "expected_doc", "channel"])
        w.writerows(rows)
    with open(os.path.join(HERE, "escalation_reasons.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ticket_id", "reason"])
        w.writerows(reasons)
    print("wrote %d rows in %d conversations, %d escalated" % (len(rows), len(convs), len(reasons)))


if __name__ == "__main__":
    main()
