#!/usr/bin/env python3
"""Generate tickets.csv, escalation_reasons.csv and the generated part of README.md
for the fictional ParcelPanda product. Standard library only.

Each conversation is (channel, [turn, ...]); each turn is
(message, intent, docs, reasons) where docs is a space-separated list of short
doc keys (empty = no article answers the turn) and reasons is a space-separated
list of escalation reasons (empty = not escalated):
  human     asks for a human, agent, someone senior or a call back
  angry     angry or abusive (insults, capitals, threats to leave/court/post)
  privileged  needs an action the assistant cannot do
  no_article  no article answers the turn (set automatically when docs is empty)
  third     third turn in a row saying the same problem is still not fixed
Single conversations also carry a tag for uncovered topics: 'lack' (a capability
ParcelPanda lacks), 'other' (another uncovered topic) or 'bare' (a bare request
for a person); the tag is appended to reasons as lack/other/bare and only used
for the README counts.
"""
import csv
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))

DOCS = {
    'rates': 'billing/shipping-rates-and-zones.md',
    'weight': 'billing/weight-and-weight-disputes.md',
    'wallet': 'billing/wallet-and-recharge.md',
    'payerr': 'billing/payment-errors.md',
    'cod': 'billing/cod-and-remittance.md',
    'refund': 'billing/refunds-and-cancellations.md',
    'inv': 'billing/invoices-and-gst.md',
    'claims': 'billing/insurance-and-claims.md',
    'codes': 'technical/error-codes.md',
    'bookerr': 'technical/booking-errors.md',
    'label': 'technical/label-printing.md',
    'dash': 'technical/seller-dashboard-and-bulk-upload.md',
    'api': 'technical/api-and-webhooks.md',
    'plugin': 'technical/shopify-and-woocommerce.md',
    'app': 'technical/app-errors.md',
    'otp': 'account/otp-sign-in.md',
    'sec': 'account/security-and-devices.md',
    'mobile': 'account/change-mobile-or-email.md',
    'kyc': 'account/seller-kyc.md',
    'bank': 'account/bank-account-details.md',
    'profile': 'account/profile-and-pickup-addresses.md',
    'close': 'account/closing-your-account.md',
    'how': 'general/how-parcelpanda-works.md',
    'cities': 'general/cities-and-serviceable-pincodes.md',
    'pickup': 'general/pickup-slots-and-drop-points.md',
    'pack': 'general/packaging-guidelines.md',
    'prohib': 'general/prohibited-and-restricted-items.md',
    'track': 'general/tracking-and-delivery-attempts.md',
    'rto': 'general/rto-return-to-origin.md',
    'support': 'general/support-and-contact.md',
}

B, T, A, G = 'billing', 'technical', 'account', 'general'

# ---------------------------------------------------------------- multi-turn
MULTI = [
    # M1 Shopify sync, third unresolved, technical -> general
    ('whatsapp', [
        ("shopify orders not coming into parcelpanda dashboard since morning, it shows PP-303", T, 'plugin', ''),
        ("reconnected the store from settings like the help page says. still PP-303", T, 'plugin', ''),
        ("uninstalled the shopify app and installed again, same PP-303. 40 orders stuck, still not fixed", T, 'plugin', 'third'),
        ("ok its syncing now, all 40 came in. can i print all the labels in one go?", T, 'label', ''),
        ("printer is a tvs thermal one, labels are coming half cut on the right side", T, 'label', ''),
        ("and can i still get a pickup today for these? its 11:30 now", G, 'pickup', ''),
    ]),
    # M2 missed pickup, third unresolved, general -> billing -> general
    ('chat', [
        ("pickup was booked for 10-1 slot today, nobody came. booking id PP73XXXX18", G, 'pickup', ''),
        ("its 2:30 now and the status still says pickup scheduled", G, 'pickup', ''),
        ("rescheduled to 4-7 like you said and again no one turned up. third time im telling this, still no pickup", G, 'pickup', 'third'),
        ("will i at least get the 29.50 pickup fee back", B, 'refund pickup', ''),
        ("ok. if i drop it myself at one of your points, which one is near velachery", G, 'pickup', ''),
    ]),
    # M3 weight discrepancy, billing -> general
    ('email', [
        ("Hello team, we shipped 6 parcels last week, each about 480 g packed, and today we see weight discrepancy charges of ₹82.60 on each saying 1.5 kg. How is this weight calculated?", B, 'weight', ''),
        ("Thank you. Our boxes are 30 x 25 x 10 cm, so you are saying the volumetric weight is 1.5 kg? That seems very high for a single t-shirt.", B, 'weight', ''),
        ("Understood. We do have photos of each parcel on the scale and with a measuring tape. How do we raise the dispute and by when?", B, 'weight', ''),
        ("We raised the disputes 6 days ago and they still show 'under review'. Meanwhile the wallet has gone negative and bookings are blocked with PP-110. Please reverse these charges today so that we can ship.", B, 'weight wallet', 'privileged'),
        ("In the meantime, what kind of packing would you suggest for t-shirts so that this does not happen again?", G, 'pack weight', ''),
    ]),
    # M4 OTP, account
    ('whatsapp', [
        ("otp nahi aa raha, 3 baar resend kiya", A, 'otp', ''),
        ("ab PP-402 dikha raha hai", A, 'otp', ''),
        ("30 min wait karna padega?? parcel urgent hai, pls unlock kar do abhi", A, 'otp', 'privileged'),
        ("ok logged in finally. i changed my number last month, how do i update it in the app", A, 'mobile', ''),
    ]),
    # M5 COD remittance, billing -> account
    ('chat', [
        ("when will i get the cod money for orders delivered on monday", B, 'cod', ''),
        ("today is thursday evening, nothing in bank yet", B, 'cod', ''),
        ("remittance report shows those 7 orders as on hold - bank account changed. i changed the account yesterday, why hold?", A, 'bank cod', ''),
        ("ok so it will come after 48 hrs? new account shows a green tick now", A, 'bank', ''),
    ]),
    # M6 damage claim, billing; angry + human on turn 3
    ('email', [
        ("Dear ParcelPanda, my shipment PP51XXXX09 with a ceramic dinner set was delivered yesterday with 4 plates broken. I had taken ParcelShield for the declared value of ₹6,000. Please advise how I can claim.", B, 'claims', ''),
        ("I have photos of the box and the broken plates, but I did not record a video while opening it. Can I still file the claim?", B, 'claims', ''),
        ("Your reply says the claim may be rejected without a video. That is absurd, the box was visibly crushed on one side. I want this escalated to someone senior, and if it is rejected I will take this to the consumer court.", B, 'claims', 'angry human'),
        ("Claim CLM-XXXX482 has been filed with the photos. How long will the decision take and where will the money be paid?", B, 'claims', ''),
    ]),
    # M7 stuck parcel, general -> billing
    ('whatsapp', [
        ("parcel stuck at bhiwandi hub since 5 days no update PP39XXXX71", G, 'track', ''),
        ("its surface. how many days without scan is normal?", G, 'track', ''),
        ("day 11 now and status changed to LOST. what do i do, didnt take insurance, item was worth 3500", B, 'claims', ''),
    ]),
    # M8 app PP-502, third unresolved
    ('chat', [
        ("shipments tab is empty in the app, just shows PP-502", T, 'app', ''),
        ("cleared cache and updated to the latest version. still PP-502", T, 'app', ''),
        ("deleted the app and installed it fresh, logged in again, same blank screen with PP-502. this is the third time i am reporting it", T, 'app', 'third'),
    ]),
    # M9 label PP-301, third unresolved
    ('whatsapp', [
        ("label not generating for one order going to 7950XX pincode. error PP-301", T, 'label', ''),
        ("address has house no, street, landmark, everything. phone also 10 digit. still PP-301", T, 'label', ''),
        ("edited it and saved again, tried from laptop also. same PP-301, nothing has changed", T, 'label', 'third'),
    ]),
    # M10 KYC -> COD, account -> billing
    ('email', [
        ("Hi, I submitted my seller KYC two days ago and it shows rejected with 'name mismatch'. My PAN says RAJESHWARI K and my bank account is in the name K RAJESHWARI. What should I do?", A, 'kyc bank', ''),
        ("I had the bank correct the name format and re-submitted, and it shows verified now. Can I start offering cash on delivery?", B, 'cod kyc', ''),
        ("What is the maximum COD amount allowed per parcel? I sell Kanchipuram silk sarees and some are priced at ₹32,000.", B, 'cod', ''),
        ("Could you increase the COD limit on my account to ₹40,000? My buyers are regular customers and prefer to pay on delivery.", B, 'cod', 'privileged'),
    ]),
    # M11 RTO, billing -> general
    ('chat', [
        ("customer refused the parcel, status shows RTO initiated. will i be charged for the return?", B, 'rto rates', ''),
        ("can you stop the rto and deliver it to his office instead, its in hinjewadi, different pincode. he says he will take it there", G, 'rto track', 'privileged'),
        ("fine. how many days until it comes back to me", G, 'rto', ''),
    ]),
    # M12 wallet recharge PP-102, third unresolved
    ('whatsapp', [
        ("did wallet recharge of 2000 thru phonepe, shows PP-102 pending but money debited", B, 'payerr', ''),
        ("1 hour over still pending", B, 'payerr', ''),
        ("next day now, STILL pending. wallet balance 0 and the money is not back in my account either. nothing is fixed", B, 'payerr wallet', 'third'),
    ]),
    # M13 perfume
    ('chat', [
        ("can i send perfume bottles, 100ml each, to delhi by express", G, 'prohib', ''),
        ("ok surface then. how should i pack them so nothing leaks", G, 'pack', ''),
    ]),
    # M14 general -> billing
    ('whatsapp', [
        ("do u deliver to patna? sending from andheri", G, 'cities', ''),
        ("rate for 2 kg surface? box is 40x30x20", B, 'rates weight', ''),
    ]),
    # M15 invoice reissue
    ('email', [
        ("Hello, please tell us where to download our monthly GST invoice for September. Our CA needs it for filing.", B, 'inv', ''),
        ("Thanks, found it. Our GSTIN is missing on both the August and September invoices because we added it only last week. Kindly reissue both invoices with our GSTIN.", B, 'inv', 'privileged'),
    ]),
    # M16 account -> general
    ('chat', [
        ("how do i add another pickup address, we opened a second godown", A, 'profile', ''),
        ("its in bhiwandi. do you do pickups there or only mumbai city", G, 'cities', ''),
    ]),
    # M17 delivery attempts, human on turn 3
    ('whatsapp', [
        ("delivery boy marked customer not available but my mom was home the whole day!! PP22XXXX40", G, 'track', ''),
        ("how many more times will he try? and can we choose a time", G, 'track', ''),
        ("same thing happened today also. i want to talk to a person who can actually call this delivery guy", G, 'track', 'human'),
    ]),
    # M18 API
    ('chat', [
        ("every api call returning PP-302 since yesterday evening", T, 'api', ''),
        ("ah my partner regenerated the key. updated it and it works. whats the rate limit btw, we got some 429s", T, 'api', ''),
        ("can you raise it to 500 requests a minute for our account? big sale next week", T, 'api', 'privileged'),
    ]),
    # M19 closing
    ('email', [
        ("Hello, I no longer sell online and would like to close my ParcelPanda seller account. What happens to my wallet balance of ₹1,870?", A, 'close wallet', ''),
        ("I tried closing it, but the app says a COD remittance is pending. My last order was delivered two days ago.", A, 'close cod', ''),
        ("Can you not close the account for me now and send the COD and wallet money together later? I am travelling abroad next week and won't be able to do it.", A, 'close', 'privileged'),
    ]),
    # M20 rakhi, general -> billing
    ('whatsapp', [
        ("hi i want to send rakhi and a box of sweets from haldiram to my brother in guwahati, allowed?", G, 'prohib cities', ''),
        ("how many days by express", G, 'how rates', ''),
        ("price kitna hoga? total 700 g hai, sending from delhi", B, 'rates', ''),
        ("paid 241.90 by upi and it says PP-101 declined but paisa cut ho gaya", B, 'payerr', ''),
    ]),
    # M21 security
    ('chat', [
        ("got an sms saying my account was signed in on a new device. it wasnt me", A, 'sec', ''),
        ("now it shows PP-409 and i cant get in at all. please unlock it, 20 orders to ship today", A, 'sec', 'privileged'),
    ]),
]

# --------------------------------------------------------------- single-turn
SINGLE = [
    # ---- billing, answered
    ('chat', "whats the price for 500g within bangalore", B, 'rates', ''),
    ('email', "Hello, I run a small handmade candle business from Jaipur and I am thinking of moving my shipping to ParcelPanda. Could you explain how volumetric weight is calculated and whether it is rounded up?", B, 'weight', ''),
    ('whatsapp', "got weight discrepancy charge on PP48XXXX02, i declared 0.5 kg and hub says 1 kg. how to dispute this", B, 'weight', ''),
    ('chat', "PP-103 while booking. wallet has 60 rs", B, 'wallet', ''),
    ('whatsapp', "cod charges kitna hai per order?", B, 'cod', ''),
    ('chat', "if i cancel the booking before pickup do i get full money back", B, 'refund', ''),
    ('chat', "express parcel reached 3 days after the date shown. do i get anything back for that?", B, 'refund', ''),
    ('chat', "paid for a shipment via gpay, PP-101 declined but 118 got deducted", B, 'payerr', ''),
    ('email', "Hello, our monthly invoice lists the COD fee as a separate line. Is GST also charged on the COD fee? Our accountant wants to confirm before filing.", B, 'inv cod', ''),
    ('whatsapp', "why is it showing PP-110, i didnt book anything today", B, 'wallet weight', ''),
    ('chat', "customer refused 2 cod parcels and now freight got deducted again for both. is that the rto charge? cod fee wasnt taken at least", B, 'rto cod', ''),
    # ---- billing, escalated
    ('email', "Dear team, on 2 Oct I recharged ₹15,000 into the wallet by mistake instead of ₹1,500. None of it has been used. Kindly refund ₹13,500 back to my bank account.", B, 'wallet', 'privileged'),
    ('whatsapp', "rto charges of 88.50 on 6 orders, customer gave fake address. pls waive them, not my fault", B, 'rto refund', 'privileged'),
    ('whatsapp', "3 hafte se 9 orders ka COD paisa nahi aaya, remittance report mein UTR bhi nahi hai. consumer court jaunga ab", B, 'cod', 'angry privileged'),
    ('chat', "my express parcel was just 1 day late. please refund the express amount to my upi", B, 'refund', 'privileged'),
    ('email', "Hello, claim CLM-XXXX117 was approved on the 3rd of this month according to your email, but the amount has still not reached my wallet. Could you please check what happened?", B, 'claims', 'privileged'),
    ('whatsapp', "you charged me 94.40 weight discrepancy on EVERY parcel this week. this is looting. fix it or i'm moving to another courier", B, 'weight', 'angry'),
    ('chat', "can someone call me and explain cod fees and remittance? planning to start cod next month", B, 'cod', 'human'),
    ('chat', "dispute window for the weight charge closed yesterday, i was travelling. i have the photos, pls remove the charge anyway", B, 'weight', 'privileged'),
    # ---- billing, no article
    ('chat', "how do i switch my cod remittance to next day instead of D+3? whats the extra fee for that", B, '', 'lack'),
    ('whatsapp', "can i pay the pickup boy in cash when he comes", B, '', 'lack'),
    ('chat', "how to turn on auto recharge so the wallet tops up when balance goes low", B, '', 'lack'),
    ('whatsapp', "any coupon code for first shipment?", B, '', 'other'),
    ('email', "Our Express shipment of product samples reached the client four days late and we lost a ₹60,000 order because of it. The small credit in the wallet does not cover this. We expect proper compensation for the loss.", B, '', 'other'),

    # ---- technical, answered
    ('chat', "PP-201 when i try to book pickup from 110096", T, 'bookerr', ''),
    ('whatsapp', "getting PP-202 for a delivery pincode in kerala, its not a remote village", T, 'bookerr cities', ''),
    ('chat', "cant select any slot for tomorrow, says PP-203", T, 'bookerr pickup', ''),
    ('whatsapp', "wat is PP-204", T, 'codes bookerr', ''),
    ('chat', "booking fails with PP-205 but address is full. receiver number is +91 98XXXXX554, is the +91 the problem?", T, 'bookerr', ''),
    ('email', "Hi, our bulk upload file with 230 orders is rejected with PP-305. We entered weights in grams in the weight column. Could you tell us what format the file needs?", T, 'dash', ''),
    ('whatsapp', "how many orders can i upload in one excel", T, 'dash', ''),
    ('chat', "what printer settings for 4x6 labels? mine print tiny in the corner of the sticker", T, 'label', ''),
    ('whatsapp', "i dont have a printer at home, how will the label come", T, 'label', ''),
    ('chat', "can i print the label again? first one got wet in the rain", T, 'label', ''),
    ('chat', "our webhook endpoint isnt receiving status updates since last night, dashboard shows PP-304", T, 'api', ''),
    ('email', "Hello, we are two developers building our own order management system. Where do we get test API keys, and is there a sandbox so we don't create real shipments?", T, 'api', ''),
    ('chat', "installed woocommerce plugin, orders come in but tracking number is not going back to my store orders", T, 'plugin', ''),
    ('chat', "shopify orders getting imported twice, so duplicate shipments are being created", T, 'plugin', ''),
    ('whatsapp', "app says PP-501 update required but play store shows no update", T, 'app', ''),
    ('chat', "PP-503 coming when i tap scan barcode", T, 'app', ''),
    ('whatsapp', "PP-504 when scanning the qr at drop point", T, 'app', ''),
    ('chat', "app not installing on my old phone, its android 8", T, 'app', ''),
    ('chat', "PP-500 on dashboard since morning. is your server down?", T, 'app', ''),
    ('chat', "what does PP-302 mean", T, 'codes api', ''),
    ('chat', "where do i download the ndr report from dashboard", T, 'dash rto', ''),
    ('chat', "plugin shows connected but new orders havent come for 2 hrs. no error code anywhere", T, 'plugin', ''),
    ('whatsapp', "can i print labels on normal A4 paper, 4 per page?", T, 'label', ''),
    ('chat', "PP-301 for one order only, rest of the labels printed fine", T, 'label codes', ''),
    ('chat', "all my shopify orders come in as 0.5 kg so the rate is wrong. where do i set the correct weight", T, 'plugin weight', ''),
    ('whatsapp', "tracking link we send to our customers opens a blank page", T, 'app track', ''),
    # ---- technical, escalated
    ('whatsapp', "UNINSTALLING this useless app. PP-500 every single time i open it", T, 'app', 'angry'),
    ('email', "Hello, we ship about 300 orders a day and want to integrate your API properly before the festive season. Can someone from your technical team get on a call with our developer this week?", T, 'api', 'human'),
    # ---- technical, no article
    ('whatsapp', "how to connect my meesho and amazon seller accounts so orders come in automatically", T, '', 'lack'),
    ('chat', "is there a wix plugin? my store is on wix", T, '', 'lack'),
    ('chat', "where is the option to export monthly shipping expenses to tally", T, '', 'lack'),
    ('chat', "where do i upload my brand logo so it prints on the labels and the tracking page", T, '', 'lack'),
    ('email', "Hi, is there a desktop application for Windows? Printing 200 labels a day from the browser is slow for us and we would prefer a desktop tool.", T, '', 'lack'),

    # ---- account, answered
    ('whatsapp', "otp aa hi nahi raha sms pe", A, 'otp', ''),
    ('chat', "PP-401 even though i typed the otp correctly", A, 'otp', ''),
    ('chat', "PP-403 number not registered?? i have been using this number on parcelpanda for a year", A, 'otp', ''),
    ('whatsapp', "why do i keep getting logged out, shows PP-404", A, 'otp sec', ''),
    ('chat', "how many phones can i stay logged in on", A, 'sec', ''),
    ('chat', "got a login alert from noida but i'm in chennai", A, 'sec', ''),
    ('whatsapp', "how to change email id in account", A, 'mobile', ''),
    ('email', "Hello, I would like to register as a seller on ParcelPanda. Which documents are needed for KYC and how long does the verification take?", A, 'kyc', ''),
    ('chat', "do i need a gst number to become a seller? my turnover is below 20 lakh", A, 'kyc', ''),
    ('whatsapp', "kyc rejected - pan not linked with aadhaar. what now", A, 'kyc', ''),
    ('chat', "how to change the bank account for cod money", A, 'bank', ''),
    ('whatsapp', "penny drop failed, bank account not verified", A, 'bank', ''),
    ('chat', "can i add my wife's bank account to receive the cod payments", A, 'bank', ''),
    ('whatsapp', "how to set default pickup address", A, 'profile', ''),
    ('chat', "can i save receiver addresses? i send to the same 20 shops every week", A, 'profile', ''),
    ('whatsapp', "too many whatsapp notifications, how to turn them off", A, 'profile', ''),
    ('chat', "is the app available in tamil", A, 'profile', ''),
    ('chat', "how to delete my account", A, 'close', ''),
    ('whatsapp', "if i close account what happens to the 340 rs in wallet", A, 'close wallet', ''),
    ('chat', "added gstin in kyc today, will it show on invoices from now on", A, 'kyc inv', ''),
    ('email', "Good afternoon. I changed my registered email address last week, but the verification link has expired before I could click it. How do I get a new link?", A, 'mobile', ''),
    ('whatsapp', "can i get otp on whatsapp instead of sms", A, 'otp', ''),
    ('chat', "the name on my labels shows my personal name, not my shop name. where to change", A, 'profile', ''),
    ('email', "Hello, I have been shipping as an individual for a while and now want to start selling. Do I need a new account to become a seller, or can I upgrade this one?", A, 'kyc', ''),
    # ---- account, escalated
    ('whatsapp', "PP-409 lock. sent selfie and pan yesterday evening, still locked. unlock it today or i'm shifting all my orders to another courier", A, 'sec', 'angry privileged'),
    ('chat', "lost my phone along with the sim. need to change registered mobile to my new number 98XXXXX311", A, 'mobile', 'privileged'),
    ('email', "Dear Sir/Madam, I registered my seller KYC with my personal PAN by mistake. I need it changed to my firm's PAN, Sri Lakshmi Traders. Please update it.", A, 'kyc', 'privileged'),
    ('email', "Please close my ParcelPanda account for me. I have already uninstalled the app and do not wish to sign in again.", A, 'close', 'privileged'),
    ('whatsapp', "YOUR APP LOGGED ME OUT AGAIN. PP-404 EVERY SINGLE DAY. FIX THIS", A, 'otp sec', 'angry'),
    ('chat', "kyc rejected again with no reason given. are you people sleeping? pathetic service", A, 'kyc', 'angry'),
    # ---- account, no article
    ('chat', "how do i add my staff as separate users with their own login? dont want to share my otp with them", A, '', 'lack'),
    ('email', "Under the DPDP Act, I request the deletion of all my personal data, including my saved addresses and receiver address book, from ParcelPanda's systems.", A, '', 'other'),
    ('chat', "need a statement of all my shipments for last financial year for my income tax audit", A, '', 'other'),
    ('chat', "i have two accounts, one personal and one seller. can u merge them into one", A, '', 'other'),

    # ---- general, answered
    ('whatsapp', "which cities do you do pickup in", G, 'cities', ''),
    ('chat', "do you deliver to port blair", G, 'cities', ''),
    ('whatsapp', "pickup timings? can i book for evening", G, 'pickup', ''),
    ('chat', "pickup kal ke liye reschedule kaise karu", G, 'pickup', ''),
    ('chat', "can i send my laptop by surface? charger also in the box", G, 'prohib', ''),
    ('chat', "difference between express and surface?", G, 'how', ''),
    ('email', "Hello, I've just started selling handmade earrings on Instagram. Is ParcelPanda only for businesses or can individuals use it too, and how does the first shipment work?", G, 'how', ''),
    ('chat', "how to pack a glass photo frame? sending to my sister in indore", G, 'pack', ''),
    ('whatsapp', "can i reuse an amazon box? it has the old label on it", G, 'pack', ''),
    ('chat', "customer moved to the next street, same area. how do i change the delivery address", G, 'track', ''),
    ('whatsapp', "do you have a customer care number i can call", G, 'support', ''),
    # ---- general, escalated
    ('whatsapp', "WORST COURIER EVER. 12 days and my parcel is still in transit. nobody replies on chat", G, 'track', 'angry'),
    ('chat', "bakwas service. pickup boy refused my parcel saying packing is bad, it was properly packed!! never using you again", G, 'pack pickup', 'angry'),
    ('chat', "what are your support timings? i want to speak to a person about my parcel, not the bot", G, 'support', 'human'),
    # ---- general, no article
    ('chat', "how do i book a parcel to dubai? whats the rate for 1 kg", G, '', 'lack'),
    ('whatsapp', "same day delivery within hyderabad possible? whats the cut off time", G, '', 'lack'),
    ('whatsapp', "want the parcel to reach my mom exactly on 14th for her birthday, where do i choose the delivery date while booking", G, '', 'lack'),
    ('email', "Hi, my buyers sometimes want to return items. How do I create a reverse pickup from the customer's address back to my shop?", G, '', 'lack'),
    ('whatsapp', "buyer wants to open and check the product before paying cod. how do i enable open box delivery", G, '', 'lack'),
    ('chat', "can i choose which courier company carries my parcel? want bluedart for this one", G, '', 'lack'),
    ('whatsapp', "your delivery guy asked me 50 rs extra 'for delivery' on a prepaid parcel. is this allowed?? posting this on instagram", G, '', 'angry other'),
    ('whatsapp', "are you hiring delivery boys in lucknow? my brother is looking for a job", G, '', 'other'),
    ('email', "Hello, we own a stationery shop in Thane West and would like to become a ParcelPanda Point. What is the commission per parcel and how do we apply?", G, '', 'other'),
    ('chat', "can i send ayurvedic medicines and some prescription tablets to my parents in kanpur", G, '', 'other'),
    ('whatsapp', "when will you start pickups from jammu", G, '', 'other'),
    ('chat', "agent", G, '', 'human bare'),
    ('whatsapp', "talk to human pls", G, '', 'human bare'),
    ('whatsapp', "call me back on 98XXXXX210", G, '', 'human bare'),
    ('chat', "i need a real person, not this bot", G, '', 'human bare'),
]

REASON_ORDER = ['human', 'angry', 'privileged', 'no_article', 'third']


def build():
    convs = [(ch, turns, True) for ch, turns in MULTI]
    convs += [(ch, [(m, i, d, r)], False) for ch, m, i, d, r in SINGLE]
    rng = random.Random(20261125)
    first, rest = convs[0], convs[1:]
    rng.shuffle(rest)
    convs = [first] + rest
    rows, reasons, tags = [], [], {}
    n = 0
    for ci, (ch, turns, _multi) in enumerate(convs, 1):
        cid = 'C%03d' % ci
        for ti, (msg, intent, docs, rs) in enumerate(turns, 1):
            n += 1
            tid = 'PD-T%04d' % n
            rs = rs.split()
            tag = [x for x in rs if x in ('lack', 'other', 'bare')]
            rs = [x for x in rs if x not in ('lack', 'other', 'bare')]
            if not docs:
                rs.append('no_article')
            rs = [x for x in REASON_ORDER if x in rs]
            doc = '|'.join(DOCS[k] for k in docs.split())
            rows.append([tid, cid, str(ti), msg, intent, 'true' if rs else 'false', doc, ch])
            if rs:
                reasons.append([tid, ';'.join(rs)])
            if tag:
                tags[tid] = tag[0]
    return rows, reasons, tags


HEADER = ['ticket_id', 'conversation_id', 'turn', 'message', 'expected_intent',
          'expected_escalate', 'expected_doc', 'channel']


def write_csv(path, header, rows):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def pct(a, b):
    return '%.1f%%' % (100.0 * a / b)


def readme_section(rows, reasons, tags):
    n = len(rows)
    convs = {}
    for r in rows:
        convs.setdefault(r[1], []).append(r)
    multi = {c: v for c, v in convs.items() if len(v) > 1}
    esc = sum(r[5] == 'true' for r in rows)
    empty = [r for r in rows if not r[6]]
    multi_doc = sum('|' in r[6] for r in rows)
    intents = {k: sum(r[4] == k for r in rows) for k in (B, T, A, G)}
    chans = {k: sum(r[7] == k for r in rows) for k in ('chat', 'whatsapp', 'email')}
    lens = [len(r[3]) for r in rows]
    short = [len(r[3]) for r in rows if r[7] != 'email']
    mail = [len(r[3]) for r in rows if r[7] == 'email']
    used = set()
    for r in rows:
        used.update(d for d in r[6].split('|') if d)
    per_folder = {}
    for p in DOCS.values():
        per_folder[p.split('/')[0]] = per_folder.get(p.split('/')[0], 0) + 1
    rs = dict(reasons)
    cnt = {k: sum(k in v.split(';') for v in rs.values()) for k in REASON_ORDER}
    bare = sum(1 for t, g in tags.items() if g == 'bare')
    lack = sum(1 for t, g in tags.items() if g == 'lack')
    other = sum(1 for t, g in tags.items() if g == 'other')
    human_bare = sum(1 for t, v in rs.items() if 'human' in v.split(';') and tags.get(t) == 'bare')
    third_convs = []
    for t, v in rs.items():
        if 'third' in v.split(';'):
            row = next(r for r in rows if r[0] == t)
            third_convs.append(row[1])
    third_desc = {
        'shopify': 'Shopify sync PP-303', 'pickup': 'pickup missed twice',
        'app': 'PP-502 in the app', 'label': 'PP-301 label not generated',
        'payerr': 'PP-102 wallet recharge pending, money debited'}
    third_items = []
    for c in third_convs:
        first = convs[c][0][3].lower()
        key = ('shopify' if 'shopify' in first else 'pickup' if 'pickup' in first else
               'app' if 'pp-502' in first else 'label' if 'pp-301' in first else 'payerr')
        third_items.append('%s (%s)' % (c, third_desc[key]))
    changes = []
    for c, v in multi.items():
        seq = []
        for r in v:
            if not seq or seq[-1] != r[4]:
                seq.append(r[4])
        if len(seq) > 1:
            changes.append('%s (%s)' % (c, ' → '.join(seq)))
    longest = max(len(v) for v in multi.values())
    L = []
    L.append('## Counts')
    L.append('')
    L.append('These counts were printed by `python3 check.py` and written here by `build_tickets.py`; the check script recomputes them and fails if this table disagrees. The script also checks that: the CSVs have the exact headers, no BOM and `\\n` line endings; ticket ids run PD-T0001… without gaps and are unique; conversation ids run C001, C002… in order; the rows of a conversation are contiguous, numbered from 1 without gaps and share one channel; intents, escalate values and channels take only the allowed values; every `expected_doc` path is one of the 30 articles in the table of contents above and every article is referenced at least once; every empty `expected_doc` row is escalated; `escalation_reasons.csv` lists exactly the escalated turns; no message is repeated and no two messages share more than 80% of their distinct words (share = common words ÷ words of the shorter message, for messages of 5 or more distinct words; shorter messages must not be contained in another).')
    L.append('')
    L.append('| Measure | Value |')
    L.append('|---|---|')
    L.append('| Ticket rows (turns) | %d |' % n)
    L.append('| Conversations | %d (%d single-turn, %d multi-turn with %d turns; longest %d turns) |' % (
        len(convs), len(convs) - len(multi), len(multi), sum(len(v) for v in multi.values()), longest))
    L.append('| expected_escalate = true | %d (%s) |' % (esc, pct(esc, n)))
    L.append('| Empty expected_doc | %d (%s) |' % (len(empty), pct(len(empty), n)))
    L.append('| Rows naming more than one doc | %d |' % multi_doc)
    L.append('| Intents | ' + ', '.join('%s %d (%s)' % (k, v, pct(v, n)) for k, v in intents.items()) + ' |')
    L.append('| Channels | ' + ', '.join('%s %d' % (k, v) for k, v in chans.items()) + ' |')
    L.append('| Message length (characters) | min %d, max %d, mean %.1f (email %.1f, chat/whatsapp %.1f) |' % (
        min(lens), max(lens), sum(lens) / n, sum(mail) / len(mail), sum(short) / len(short)))
    L.append('| Articles in table of contents | ' + ', '.join('%s %d' % (k, per_folder[k]) for k in (B, T, A, G))
             + ' (%d in total; %d referenced by at least one ticket) |' % (len(DOCS), len(used)))
    L.append('')
    L.append('Why the escalated turns are escalated (a turn can fall into more than one group; recorded in `escalation_reasons.csv`):')
    L.append('')
    L.append('| Kind of turn | Count |')
    L.append('|---|---|')
    L.append('| Explicit requests for a human or call back | %d (%d of them bare requests with no article) |' % (cnt['human'], human_bare))
    L.append('| Angry customers | %d |' % cnt['angry'])
    L.append('| Privileged-action requests | %d |' % cnt['privileged'])
    L.append('| Turns with no answering article | %d (%d about a capability or service ParcelPanda lacks, %d about other uncovered topics, %d bare requests for a person) |' % (cnt['no_article'], lack, other, bare))
    L.append('| Third unresolved turn in a row | %d conversations: %s |' % (len(third_items), ', '.join(third_items)))
    L.append('')
    L.append('Conversations that change intent midway: ' + ', '.join(changes) + '.')
    return '\n'.join(L) + '\n'


def main():
    rows, reasons, tags = build()
    write_csv(os.path.join(HERE, 'tickets.csv'), HEADER, rows)
    write_csv(os.path.join(HERE, 'escalation_reasons.csv'), ['ticket_id', 'reason'], reasons)
    path = os.path.join(HERE, 'README.md')
    text = open(path, encoding='utf-8').read()
    start, end = '<!-- GENERATED:START -->\n', '<!-- GENERATED:END -->'
    a = text.index(start) + len(start)
    b = text.index(end)
    text = text[:a] + readme_section(rows, reasons, tags) + text[b:]
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)
    print('wrote %d rows, %d escalated' % (len(rows), len(reasons)))


if __name__ == '__main__':
    main()
