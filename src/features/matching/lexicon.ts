/**
 * The bilingual domain lexicon: technical concepts of the ten clusters' fields, each with its
 * English and Italian terms. A concept is language-neutral (its id); a text in either language
 * that uses any of its terms is said to "mention" it, which is how an Italian need reaches an
 * English offer. Terms are matched after stemming and accent folding, so one form per word is
 * enough (plurals and most inflections come for free). English loanwords that Italian companies
 * use as they are (software, packaging, machine learning…) are listed on the Italian side too.
 *
 * Format: one concept per line, `id | english terms | italian terms`, terms separated by `;`.
 * A term written `=word` matches that word only, not every word of its stem: Snowball gives
 * «stabilità» and «stabilimento» one stem, «viso» and «visita», "product" and "productivity",
 * "services" and "servicing" too. A concept whose id starts with `_` names nothing: its phrases
 * only keep their words from meaning something else. Lines starting with `#` are section titles. Written by hand; see
 * docs/decisions/006-matchmaking.md.
 */
export const LEXICON_SOURCE = `
# Phrases that are not what their words say: matched (longest first) so that their words mention
# nothing ("cutting-edge" is no machining). Ids starting with _.
_cutting_edge | cutting-edge; cutting edge | all'avanguardia; d'avanguardia
# General technology transfer and business
research | research; r&d; scientific research; applied research | ricerca; ricerca e sviluppo; r&s; ricerca applicata; ricerca scientifica
technology_transfer | technology transfer; spin-off; spin off; university spin-off | trasferimento tecnologico; spin-off; spin off; spin-off universitario
consulting | consulting; consultancy; advisory; advice | consulenza; consulente; servizi di consulenza
training | training; courses; education; teaching; upskilling | formazione; corsi; didattica; insegnamento; aggiornamento professionale
sme | sme; small and medium enterprises; small business | pmi; piccole e medie imprese; piccola impresa
startup | startup; start-up | startup; start-up
prototype | prototype; prototyping; proof of concept; pilot plant | prototipo; prototipazione; prova di concetto; impianto pilota
patent | patent; patented; intellectual property | brevetto; brevettato; brevettata; proprietà intellettuale
licensing | licensing; licence; license | licenza; concessione in licenza
certification | certification; certified; accreditation | certificazione; certificato; accreditamento
regulatory_compliance | regulatory compliance; compliance; regulations; regulatory | conformità normativa; conformità; normativa; adempimenti; regolamentazione
quality_control | quality control; quality assurance; quality inspection | controllo qualità; controllo della qualità; assicurazione qualità; collaudo
testing | testing; tests; test bench; validation | prove; collaudi; banco prova; validazione; test
measurement | measurement; measuring; metrology | misura; misurazione; misurare; metrologia
supply_chain | supply chain; suppliers; procurement; =sourcing; =sourced | filiera; catena di fornitura; fornitori; approvvigionamento
cost_reduction | cost reduction; cost cutting; cutting costs; cut costs; cost savings; reduce costs; savings | riduzione dei costi; taglio dei costi; tagliare i costi; risparmio; abbattere i costi; ridurre i costi
efficiency | efficiency; optimization; optimisation; optimize | efficienza; ottimizzazione; ottimizzare; efficientamento
productivity | =productivity; throughput | produttività
competitiveness | competitiveness; competitive advantage | competitività; vantaggio competitivo
internationalization | internationalization; export; foreign markets | internazionalizzazione; export; esportazione; mercati esteri
funding | funding; investment; investors; venture capital; grants | finanziamento; finanziamenti; investimento; investitori; bandi; contributi
grant_writing | grant application; calls for proposals; horizon europe; eu projects | progettazione europea; bandi europei; horizon europe; progetti europei; partecipazione a bandi
marketing | marketing; brand; branding; advertising | marketing; marchio; brand; =pubblicità; campagne pubblicitarie; comunicazione commerciale
ecommerce | e-commerce; online shop; online sales | e-commerce; commercio elettronico; negozio online; vendita online
customer | =customers; =customer; clients; =consumers; =consumer | clienti; =consumatori; =consumatore; clientela
market_analysis | market analysis; market research; consumer research | analisi di mercato; ricerche di mercato; indagini di mercato
business_plan | business plan; business planning; strategic planning | piano industriale; business plan; pianificazione strategica
governance | governance; corporate governance | governance; governo societario
finance | finance; financial; banks; credit | finanza; finanziario; banche; credito
financial_analysis | financial analysis; creditworthiness; credit risk; balance sheet | analisi finanziaria; merito creditizio; rischio di credito; bilancio
insurance | insurance; insurers | assicurazione; assicurazioni; assicurativo
public_administration | public administration; public bodies; municipalities; government | pubblica amministrazione; enti pubblici; amministrazione comunale; enti locali; comune capoluogo; comuni lombardi
legal | legal; law firms; legislation; legal acts | legale; studi legali; legislazione; normativa; atti normativi
human_resources | human resources; staffing; recruitment; workforce | risorse umane; personale; selezione del personale
workers | workers; =operators; =operator; employees; staff | =lavoratori; =lavoratrici; operai; =operatori; =operatore; dipendenti; addetti
safety_at_work | occupational safety; workplace safety; work-related injuries; health and safety | sicurezza sul lavoro; sicurezza dei lavoratori; infortuni sul lavoro; salute e sicurezza
risk_management | risk management; risk assessment; risk analysis; risk engineering | gestione del rischio; valutazione del rischio; analisi dei rischi; valutazione dei rischi
decision_support | decision support; decision making; decision support system; dss | supporto alle decisioni; decisioni; processo decisionale; sistema di supporto decisionale
forecasting | forecasting; forecast; prediction; predictive | previsione; previsioni; predittivo; predittiva; prevedere
social_impact | social impact; social innovation; third sector; non-profit | impatto sociale; innovazione sociale; terzo settore; non profit; cooperativa sociale
esg | esg; sustainability reporting; non-financial reporting; esg rating | esg; bilancio di sostenibilità; rendicontazione di sostenibilità; rendicontazione non finanziaria; rating esg
sustainability | sustainability; sustainable | sostenibilità; sostenibile; sostenibili
impact_assessment | impact assessment; impact measurement | valutazione d'impatto; misurazione dell'impatto
crowdsourcing | crowdsourcing; citizen science | crowdsourcing; scienza partecipata; citizen science
gamification | gamification; games; video game; serious games; gaming | gamification; giochi; videogioco; videogiochi; giochi seri; gioco
design | design; product design; industrial design | design; progettazione; design industriale; design di prodotto
customization | =customization; =customisation; =customized; =customised; tailor-made; personalised | personalizzazione; personalizzato; su misura
tourism | tourism; tourist; visitors | turismo; turistico; turisti; visitatori
retail | retail; shops; stores; restaurants | commercio al dettaglio; negozi; punti vendita; ristoranti; ristorazione; catena di negozi
fashion | fashion; clothing; apparel; garments | moda; abbigliamento; capi di abbigliamento; tessile moda
sport | sport; sports; athletes; amateur sport | sport; sportivo; atleti; sport dilettantistico
children | children; kids; early childhood | bambini; infanzia; prima infanzia; ragazzi
school | school; schools; students; teachers | scuola; scuole; studenti; insegnanti; docenti
families | families; family members; caregivers | famiglie; familiari; parenti; caregiver

# Digital, data and AI
software | software; software platform; application software | software; piattaforma software; =applicativo; =applicativi; gestionale
platform | platform; web platform; digital platform | piattaforma; piattaforma web; piattaforma digitale
app | app; mobile app; smartphone app; apps | app; applicazione mobile; app per smartphone
cloud | cloud; cloud computing; saas; software as a service | cloud; cloud computing; saas; in cloud
web | web; website; web portal | web; sito web; portale web; portale
artificial_intelligence | artificial intelligence; ai | intelligenza artificiale
machine_learning | machine learning; learning algorithms | machine learning; apprendimento automatico; apprendimento macchina
deep_learning | deep learning; neural networks; neural network | deep learning; apprendimento profondo; reti neurali; rete neurale
generative_ai | generative ai; large language models; llm; chatbot | intelligenza artificiale generativa; ia generativa; modelli linguistici; chatbot; assistente virtuale
nlp | natural language processing; nlp; text analysis; text mining; language models | elaborazione del linguaggio naturale; analisi dei testi; analisi testuale; linguaggio naturale
sentiment_analysis | sentiment analysis; opinions; web reputation | analisi del sentiment; opinioni; reputazione online; reputazione web
computer_vision | computer vision; machine vision; artificial vision; image recognition | visione artificiale; computer vision; riconoscimento di immagini; visione industriale
image_processing | image processing; image analysis; video processing; images | elaborazione di immagini; analisi di immagini; elaborazione video; immagini
big_data | big data; data analytics; =analytics; data analysis | big data; analisi dei dati; analisi di dati; analytics; elaborazione dati
data_management | data management; data governance; databases; data integration | gestione dei dati; governo dei dati; banche dati; database; integrazione dei dati
data | data; dataset | dati; dataset
dashboard | dashboard; dashboards; reporting; kpi | cruscotto; cruscotti; dashboard; reportistica; indicatori
business_intelligence | business intelligence | business intelligence
predictive_analytics | predictive analytics; predictive models; predictive analysis | analisi predittiva; modelli predittivi; analisi predittive
optimization_algorithms | optimization algorithms; mathematical optimization; operations research; mathematical models | algoritmi di ottimizzazione; ottimizzazione matematica; ricerca operativa; modelli matematici
algorithm | algorithm; algorithms | algoritmo; algoritmi
simulation | simulation; numerical simulation; modelling; modeling | simulazione; simulazioni; modellazione; modellistica; simulazione numerica
digital_twin | digital twin; digital twins | gemello digitale; gemelli digitali; digital twin
iot | iot; internet of things; connected devices; iiot; industrial iot | iot; internet delle cose; dispositivi connessi; iiot
edge_computing | edge computing; edge ai; edge devices | edge computing; calcolo al bordo; dispositivi edge
hpc | high performance computing; hpc; supercomputing | calcolo ad alte prestazioni; hpc; supercalcolo
cybersecurity | cybersecurity; cyber security; information security; security posture | sicurezza informatica; cybersecurity; cyber sicurezza; sicurezza dei dati
encryption | encryption; cryptography; encrypted | crittografia; cifratura; crittografato; cifrati
authentication | authentication; passwordless; identity verification | autenticazione; verifica dell'identità; riconoscimento dell'identità
privacy | privacy; data protection; confidentiality | privacy; riservatezza; protezione dei dati; dati personali
blockchain | blockchain; distributed ledger; dlt | blockchain; registro distribuito; dlt
quantum | quantum; quantum technologies; qubit | quantistico; quantistica; tecnologie quantistiche; qubit
quantum_communication | quantum key distribution; qkd; quantum communication; quantum cryptography | distribuzione quantistica di chiavi; qkd; comunicazione quantistica; crittografia quantistica
random_numbers | random number generation; random numbers | generazione di numeri casuali; numeri casuali
digitalization | digital transformation; digitalization; digitization; digitalisation | trasformazione digitale; digitalizzazione; digitalizzare; transizione digitale
automation | automation; automated; automatic | automazione; automatizzazione; automatizzare; automatico; automatica
process_automation | process automation; hyperautomation; rpa; workflow automation | automazione dei processi; iperautomazione; rpa; automazione del flusso di lavoro
telecom | telecommunications; telecommunication networks; network operators | telecomunicazioni; reti di telecomunicazione; operatori di rete
networks | networks; network management; data networks | reti; gestione delle reti; reti dati
wireless | wireless; radio; wireless communication | wireless; senza fili; radio; comunicazione wireless
five_g | 5g | 5g
optical_fiber | optical fiber; fiber optic; optical fibre; fibre optic | fibra ottica; fibre ottiche
virtual_reality | virtual reality; vr; extended reality; xr; immersive | realtà virtuale; vr; realtà estesa; xr; immersivo; immersiva
augmented_reality | augmented reality; ar; holographic | realtà aumentata; olografico
recommendation | recommendation system; product recommendations; recommender | sistema di raccomandazione; raccomandazioni; suggerimenti personalizzati
search_engine | semantic search; visual search; search engine | ricerca semantica; ricerca visuale; motore di ricerca
ontology | ontology; knowledge graph; semantic | ontologia; grafo della conoscenza; semantico
document_management | document management; documents; document generation; archives | gestione documentale; documenti; generazione di documenti; archivi; archivio
synthetic_data | synthetic data | dati sintetici
no_code | no-code; low-code | no-code; low-code; senza codice
electronics | electronics; electronic devices; electronic boards | elettronica; dispositivi elettronici; schede elettroniche
embedded | embedded systems; firmware; microcontrollers | sistemi embedded; firmware; microcontrollori
hardware | hardware | hardware
chips | chips; microchips; integrated circuits; semiconductors | chip; microchip; circuiti integrati; semiconduttori
signal_processing | signal processing; signals | elaborazione dei segnali; segnali
time_measurement | time measurement; time-to-digital converter; =timing | misura del tempo; convertitore tempo-digitale; temporizzazione

# Sensors, photonics, instruments
sensor | sensor; sensors; sensing; probes | sensore; sensori; sensoristica; sonde; sonda
monitoring | monitoring; monitor; surveillance; supervision | monitoraggio; monitorare; sorveglianza; supervisione; tenere sotto controllo
remote_monitoring | remote monitoring; telemonitoring; remote control | monitoraggio da remoto; telemonitoraggio; controllo remoto; monitoraggio a distanza
real_time | real time; real-time; continuous monitoring | tempo reale; in tempo reale; monitoraggio continuo
wearable | wearable; wearables; smart clothing; smart textile | indossabile; indossabili; dispositivi indossabili; abbigliamento intelligente; tessuti intelligenti
radar | radar | radar
lidar | lidar | lidar
camera | cameras; camera; image sensor | telecamere; telecamera; fotocamera; sensore d'immagine
infrared | infrared; near-infrared; nir; swir | infrarosso; infrarossi; vicino infrarosso; nir; swir
spectroscopy | spectroscopy; spectrometer; spectrometry | spettroscopia; spettrometro; spettrometria
microscopy | microscopy; microscope | microscopia; microscopio
photonics | photonics; photonic; optics; optical | fotonica; fotonico; ottica; ottico
laser | laser; lasers; ultrafast laser | laser; laser ultraveloci
led_lighting | led lighting; leds; light-emitting diodes; lighting; optoelectronics | led; illuminazione; optoelettronica
mems | mems; micro electro mechanical systems | mems; sistemi microelettromeccanici
strain_sensor | strain sensor; strain gauge; deformation | sensore di deformazione; estensimetro; deformazione
gas_sensor | gas sensor; gas sensors; gas detection | sensore di gas; sensori di gas; rilevamento gas
detection | detection; detect; detectors | rilevamento; rilevare; rilevatori; rilevazione
radiation | radiation; radioactive; neutron; ionizing radiation; dosimetry | radiazioni; radioattivo; neutroni; radiazioni ionizzanti; dosimetria
calibration | calibration | calibrazione; taratura
instrumentation | instruments; instrumentation; laboratory equipment | strumenti; strumentazione; apparecchiature di laboratorio
vibration | vibration; vibrations; anti-vibration; damping | vibrazioni; vibrazione; antivibrante; antivibranti; smorzamento
acoustic | acoustic; acoustics; noise; sound; soundproofing | acustico; acustica; rumore; suono; fonoassorbente; fonoassorbenti; insonorizzazione
positioning | positioning; =localization; =localisation; gps; navigation; indoor navigation | posizionamento; localizzazione; gps; navigazione; navigazione indoor
tracking | tracking; tracing; geolocation | tracciamento; tracciare; geolocalizzazione; tracciabilità in tempo reale

# Manufacturing (smart factory)
manufacturing | manufacturing; production; industrial production; factory | manifattura; produzione; produzione industriale; fabbrica; =stabilimento; =stabilimenti; manifatturiero
industry_40 | industry 4.0; smart manufacturing; smart factory | industria 4.0; fabbrica intelligente; manifattura intelligente
production_process | production process; industrial processes; manufacturing processes | processo produttivo; processi industriali; processi produttivi; ciclo produttivo
production_line | production line; assembly line; production lines | linea di produzione; linea di montaggio; catena di montaggio; linee produttive
assembly | assembly; manual assembly; assembly operations | assemblaggio; montaggio; operazioni di montaggio
machining | machining; mechanical processing; milling; =turning; cutting | lavorazioni meccaniche; lavorazione meccanica; fresatura; tornitura; taglio; asportazione di truciolo
machine_tools | machine tools; cnc; machining centers | macchine utensili; cnc; centri di lavoro
precision_machining | precision machining; micro machining; high precision | lavorazioni di precisione; microlavorazioni; alta precisione
waterjet | waterjet; water jet; abrasive waterjet | taglio ad acqua; getto d'acqua; waterjet
edm | edm; electrical discharge machining | elettroerosione; edm
welding | welding; =joining | saldatura; giunzione
injection_molding | injection molding; injection moulding; moulds; molds | stampaggio a iniezione; stampaggio; stampi; stampo; stampare a iniezione
additive_manufacturing | additive manufacturing; 3d printing; 3d printed | manifattura additiva; stampa 3d; stampa tridimensionale; fabbricazione additiva
metal_forming | metal forming; sheet metal; forging; stamping | formatura dei metalli; lamiera; forgiatura; tranciatura
machinery | machinery; machines; industrial equipment | macchinari; macchine; impianti; attrezzature industriali; impiantistica
predictive_maintenance | predictive maintenance; condition monitoring; fault prediction | manutenzione predittiva; monitoraggio delle condizioni; previsione dei guasti
maintenance | maintenance; =servicing; repair | manutenzione; riparazione; assistenza tecnica
fault | fault; failure; breakdown; downtime; anomalies | guasto; guasti; rottura; fermo macchina; fermi macchina; anomalie
wear | wear; wear-resistant; abrasion | usura; resistente all'usura; abrasione
robotics | robotics; robot; robots; robotic | robotica; robot; robotico; robotizzato
industrial_robotics | industrial robotics; industrial robots; robotic arm; robotic arms; manipulator | robotica industriale; robot industriali; braccio robotico; bracci robotici; manipolatore
collaborative_robot | collaborative robots; cobot; cobots | robot collaborativi; cobot
mobile_robot | agv; amr; autonomous mobile robots; mobile robots | agv; amr; robot mobili; robot mobili autonomi; navette autonome; carrelli a guida automatica
gripping | gripping; grip; grasping; bin picking; picking | presa; afferraggio; presa automatica; prelievo; picking
exoskeleton | exoskeleton; exoskeletons | esoscheletro; esoscheletri
ergonomics | ergonomics; musculoskeletal disorders; fatigue; posture | ergonomia; disturbi muscolo-scheletrici; affaticamento; fatica; postura
mechatronics | mechatronics; mechatronic | meccatronica; meccatronico
mechanical_design | mechanical design; mechanical engineering; mechanical components | progettazione meccanica; ingegneria meccanica; componenti meccanici
transmission | transmission; transmissions; gears; gearbox; drivetrain | trasmissione; trasmissioni; ingranaggi; riduttore; cambio
hydraulics | hydraulic; hydraulics | idraulico; oleodinamica; oleodinamico
pipes | pipes; tubes; pipelines; =couplings | tubi; tubazioni; condotte; raccordi
vacuum | vacuum; ultra-high vacuum | vuoto; ultra alto vuoto
shape_memory | shape memory alloys; shape memory | leghe a memoria di forma; memoria di forma
scada | scada; supervisory control; plc | scada; supervisione e controllo; plc
control_systems | control systems; process control; automatic control | sistemi di controllo; controllo di processo; controlli automatici
logistics | logistics; warehouse; warehousing; intralogistics; material handling | logistica; magazzino; magazzini; intralogistica; movimentazione; movimentazione merci
packaging_line | =filling; packing; bottling | riempimento; confezionamento; imbottigliamento
traceability | traceability; authenticity; anti-counterfeiting | tracciabilità; autenticità; anticontraffazione
product_development | product development; new product development; time to market | sviluppo prodotto; sviluppo di nuovi prodotti; time to market
powders | powders; particles; dispersed systems | polveri; particelle; sistemi dispersi

# Materials and chemistry (green chemistry)
materials | materials; advanced materials; new materials | materiali; materiali avanzati; nuovi materiali
nanomaterials | nanomaterials; nanostructured; nanotechnology; nano | nanomateriali; nanostrutturato; nanotecnologie; nanotecnologia
nanoparticles | nanoparticles; nanoparticle; nanocrystals | nanoparticelle; nanoparticella; nanocristalli
composites | composites; composite materials; carbon fiber; fibre-reinforced | compositi; materiali compositi; fibra di carbonio; fibrorinforzati
polymers | polymers; polymer; resins | polimeri; polimero; resine
plastics | plastic; plastics; plastic parts | plastica; plastiche; materie plastiche; componenti in plastica
rubber | rubber; elastomers; tyres; tires | gomma; elastomeri; pneumatici; gomme
bioplastics | bioplastics; biopolymers; bio-based plastics; pla | bioplastiche; biopolimeri; plastiche biobased; pla
biodegradable | biodegradable; compostable; biodegradation | biodegradabile; biodegradabili; =compostabile; =compostabili; biodegradazione
bio_based | bio-based; biobased; renewable raw materials | biobased; bio-based; a base biologica; materie prime rinnovabili; di origine biologica
green_chemistry | green chemistry; sustainable chemistry; bio-based chemicals | chimica verde; chimica sostenibile; prodotti chimici biobased
chemicals | chemicals; chemical compounds; fine chemicals; bulk chemicals | prodotti chimici; composti chimici; chimica fine; sostanze chimiche
chemical_process | chemical process; chemical reactions; chemical reactors; reactor | processo chimico; reazioni chimiche; reattori chimici; reattore
catalysis | catalysis; catalyst; catalysts; catalytic | catalisi; catalizzatore; catalizzatori; catalitico
membranes | membranes; membrane; membrane separation; filtration | membrane; membrana; separazione a membrana; filtrazione
separation | separation; purification; downstream processing; chromatography | separazione; purificazione; processi a valle; cromatografia
solvents | solvents; solvent | solventi; solvente
coatings | coatings; coating; paints; surface treatment | rivestimenti; rivestimento; vernici; trattamento superficiale; verniciatura
glass | glass; glazing | vetro; vetri; vetrate
metals | metals; metal; alloys; steel | metalli; metallo; leghe; acciaio
ceramics | ceramics; ceramic; ultra-high temperature ceramics | ceramica; ceramici; ceramiche ad altissima temperatura
high_temperature | high temperature; heat resistant; thermal resistance | alta temperatura; altissima temperatura; resistente al calore; resistenza termica
rare_earths | rare earths; rare earth elements; critical raw materials | terre rare; materie prime critiche
raw_materials | raw materials; secondary raw materials | materie prime; materie prime seconde; materia prima
additives | additives; fillers | additivi; cariche
textiles | textile; textiles; fabrics; fibers | tessile; tessuti; fibre; =filati
wood | wood; timber | legno; legname
concrete | concrete; cement | calcestruzzo; cemento
minerals | minerals; mineralogy | minerali; mineralogia
crystals | crystals; monocrystals; single crystals | cristalli; monocristalli
atomistic_simulation | atomistic simulation; materials simulation; computational chemistry | simulazione atomistica; simulazione dei materiali; chimica computazionale
characterization | characterization; characterisation; material analysis | caratterizzazione; caratterizzare; analisi dei materiali
analytical_chemistry | chemical analysis; analytical techniques; analytical chemistry | analisi chimiche; analisi chimica; tecniche analitiche; chimica analitica
antimicrobial | antimicrobial; antibacterial; antibiofilm; biocide | antimicrobico; antibatterico; antibatterici; antibiofilm; biocida
toxic | toxic; toxicity; hazardous substances; carcinogen | tossico; tossicità; sostanze pericolose; cancerogeno
fermentation | fermentation; fermented; yeast; yeasts | fermentazione; fermentato; lieviti; lievito
enzymes | enzymes; enzymatic | enzimi; enzimatico
microorganisms | microorganisms; bacteria; microbial; microbial cultures | microrganismi; batteri; microbico; colture microbiche
pet | pet; polyethylene terephthalate | pet; polietilene tereftalato

# Circular economy, waste, environment
circular_economy | circular economy; circularity; circular | economia circolare; circolarità; circolare
recycling | recycling; recycle; recycled; recyclable | riciclo; riciclare; riciclato; riciclabile; riciclaggio
upcycling | upcycling; valorization; valorisation; reuse | upcycling; valorizzazione; valorizzare; riuso; riutilizzo
waste | waste; scraps; residues; refuse | rifiuti; scarti; residui; scarto
food_waste | food waste; agri-food waste; agro-food waste; organic waste | scarti alimentari; scarti agroalimentari; rifiuti organici; spreco alimentare; sprechi alimentari; scarti organici
by_products | by-products; byproducts; industrial by-products; production waste | sottoprodotti; sottoprodotto; scarti di produzione; scarti di lavorazione
end_of_life | end of life; end-of-life | fine vita
waste_management | waste management; waste disposal; disposal costs | gestione dei rifiuti; smaltimento dei rifiuti; smaltimento; costi di smaltimento
biorefinery | biorefinery; bioconversion | bioraffineria; bioconversione
water | water; water resources | acqua; acque; risorse idriche
wastewater | wastewater; waste water; sewage | acque reflue; reflui; acque di scarico; liquami
water_treatment | water treatment; water purification; depuration | trattamento delle acque; depurazione; depurazione delle acque; potabilizzazione
water_management | water management; water distribution networks; water scarcity | gestione idrica; gestione delle acque; reti idriche; rete idrica; scarsità idrica
drinking_water | drinking water | acqua potabile
remediation | remediation; reclamation; decontamination | bonifica; bonifiche; decontaminazione; risanamento
contamination | contaminated; contaminants; contamination; pollutants; pollution | contaminato; contaminati; contaminanti; contaminazione; inquinanti; inquinamento
soil | soil; soils | suolo; terreno; terreni; suoli
groundwater | groundwater; aquifer | falda; falde; falda acquifera; acque sotterranee
air_quality | air quality; air pollution; particulate; emissions to air | qualità dell'aria; inquinamento atmosferico; particolato; polveri sottili
emissions | emissions; greenhouse gases; co2 emissions; carbon footprint | emissioni; gas serra; emissioni di co2; impronta di carbonio; impronta carbonica
carbon_capture | carbon capture; co2 capture; carbon sequestration | cattura della co2; cattura del carbonio; sequestro del carbonio; stoccaggio della co2
lca | life cycle assessment; lca; life cycle analysis | analisi del ciclo di vita; lca; valutazione del ciclo di vita
environmental_monitoring | environmental monitoring; environmental data | monitoraggio ambientale; dati ambientali
environment | environment; environmental; ecological | ambiente; ambientale; ecologico
climate | climate; climate change; extreme weather; weather | clima; cambiamento climatico; cambiamenti climatici; eventi estremi; meteo
biodiversity | biodiversity; ecosystems; ecosystem services; nature-based solutions | biodiversità; ecosistemi; servizi ecosistemici; soluzioni basate sulla natura
forest | forest; forests; reforestation; trees | foresta; foreste; boschi; bosco; riforestazione; alberi; patrimonio arboreo
natural_hazards | natural hazards; landslides; floods; subsidence | rischi naturali; frane; frana; alluvioni; subsidenza; dissesto idrogeologico
geology | geology; geotechnical; geomatics; geosites | geologia; geotecnica; geotecnico; geomatica; geositi
marine | marine; sea; coasts; underwater | marino; mare; coste; costiero; subacqueo
metocean | waves; wind and waves; meteomarine | onde; moto ondoso; meteomarino

# Energy
energy | energy; energy sector | energia; energetico; energetica
renewable_energy | renewable energy; renewables; renewable sources | energie rinnovabili; energia rinnovabile; fonti rinnovabili; rinnovabili
photovoltaic | photovoltaic; solar panels; solar; pv | fotovoltaico; fotovoltaica; pannelli solari; =solare; =solari; impianto fotovoltaico
wind_energy | wind energy; wind power; wind turbines | energia eolica; eolico; turbine eoliche; pale eoliche
hydrogen | hydrogen; green hydrogen; fuel cells | idrogeno; idrogeno verde; celle a combustibile
biomass | biomass; biogas; biomethane | biomassa; biomasse; biogas; biometano
energy_storage | energy storage; storage systems | accumulo di energia; sistemi di accumulo; accumulo
battery | battery; batteries; lithium; anodes; battery cells | batteria; batterie; batterie di accumulo; litio; anodi; celle della batteria
supercapacitor | supercapacitors; supercapacitor; ultracapacitors | supercondensatori; supercondensatore
energy_efficiency | energy efficiency; energy saving; energy savings; energy consumption | efficienza energetica; risparmio energetico; consumi energetici; consumo di energia
energy_management | energy management; energy management system; bems; self-consumption | gestione dell'energia; gestione energetica; sistema di gestione dell'energia; autoconsumo
smart_grid | smart grid; smart grids; electricity grid; power grid; distribution network | rete intelligente; reti intelligenti; rete elettrica; rete di distribuzione; smart grid
power_lines | power lines; overhead lines; transmission lines | linee elettriche; elettrodotti; linee aeree; linee di trasmissione
power_quality | power quality; electrical measurements | qualità dell'energia elettrica; qualità della rete; misure elettriche
electricity | electricity; electrical; electric | elettricità; elettrico; elettrica; energia elettrica
electricity_market | electricity market; balancing market; =flexibility; energy trading | mercato elettrico; mercato del bilanciamento; flessibilità; mercato dell'energia
ev_charging | charging stations; ev charging; charging points; wallbox | colonnine di ricarica; colonnine; ricarica; punti di ricarica; wallbox
heat | heat; heating; thermal; thermal energy | calore; riscaldamento; termico; energia termica
heat_pump | heat pumps; heat pump | pompe di calore; pompa di calore
thermal_storage | thermal storage | accumulo termico
fluid_dynamics | fluid dynamics; cfd; computational fluid dynamics; thermo-fluid dynamics | fluidodinamica; cfd; fluidodinamica computazionale; termofluidodinamica
engines | engines; engine; combustion engines; fluid machines | motori; motore; motori a combustione; macchine a fluido
nuclear | nuclear | nucleare
superconducting | superconducting; superconductors | superconduttore; superconduttori; superconduttivo
oil_gas | oil and gas; petroleum; fuels | petrolio; prodotti petroliferi; carburanti; combustibili

# Buildings and living environments
building | building; buildings; construction; real estate | edificio; edifici; edilizia; costruzioni; immobili; immobiliare; fabbricati; palazzine
building_retrofit | retrofit; renovation; energy retrofit; existing buildings | riqualificazione; ristrutturazione; riqualificazione energetica; edifici esistenti
insulation | thermal insulation; insulation; insulating | isolamento termico; isolamento; isolante; coibentazione; cappotto termico
structural_engineering | structural engineering; structural; structures | ingegneria strutturale; strutturale; strutture
seismic | seismic; earthquake; earthquakes; seismic risk; seismic vulnerability | sismico; sismica; terremoto; terremoti; rischio sismico; vulnerabilità sismica; antisismico
bim | bim; building information modeling | bim
facility_management | facility management; building management; infrastructure management | facility management; gestione degli edifici; gestione immobiliare; gestione delle infrastrutture
infrastructure | infrastructure; infrastructures; bridges; roads | infrastrutture; infrastruttura; ponti; strade
civil_engineering | civil engineering; civil works | ingegneria civile; opere civili
building_materials | building materials; construction materials | materiali da costruzione; materiali edili
home_automation | home automation; domotics; smart home | domotica; casa intelligente; smart home; automazione domestica
living_spaces | living spaces; interior design; furniture; living space | spazi abitativi; interior design; arredamento; arredi
housing | housing; homes; =apartments; social housing | abitazioni; case; appartamenti; alloggi; edilizia sociale; casa
elderly | elderly; older people; active ageing; active aging; ageing | anziani; anziano; terza età; invecchiamento attivo; invecchiamento
living_alone | living alone; lives alone; independent living | vivono da soli; vive da solo; vive da sola; vita indipendente; soli in casa
wellbeing | well-being; wellbeing; =wellness; quality of life | benessere; qualità della vita
accessibility | accessibility; disabilities; disability; inclusion | accessibilità; disabilità; inclusione
lighting | lighting; lights | illuminazione; luci
windows | windows; glazing; curtain walls | finestre; =serramenti; =serramento; facciate continue

# Mobility and transport
mobility | =mobility; transport; transportation | =mobilità; trasporto; trasporti
sustainable_mobility | sustainable mobility; soft mobility; slow mobility; =cycling | mobilità sostenibile; mobilità dolce; mobilità lenta; ciclabilità; piste ciclabili
electric_vehicle | electric vehicles; electric mobility; e-mobility; ev; electric cars | veicoli elettrici; mobilità elettrica; auto elettriche; e-mobility
vehicle | vehicles; vehicle; cars; automotive; trucks | veicoli; veicolo; auto; automobili; automotive; camion; mezzi pesanti
adas | driver assistance; adas; collision warning; driving experience | assistenza alla guida; adas; avviso di collisione; esperienza di guida; sistemi di assistenza alla guida
autonomous_driving | autonomous driving; self-driving; autonomous vehicles | guida autonoma; veicoli autonomi
propulsion | propulsion; propulsion systems; thrusters | propulsione; sistemi di propulsione; propulsori
tyres | tyres; tires; tread | pneumatici; gomme; battistrada
bicycle | bicycle; bicycles; bikes; e-bike | bicicletta; biciclette; bici; e-bike
rail | rail; railway; trains | ferrovia; ferroviario; treni; rotaia; rotaie
road_safety | road safety | sicurezza stradale
fleet | fleet; fleet management; tankers | flotta; gestione della flotta; autocisterne; autobotti
last_mile | last mile; last-mile; parcel delivery; parcel lockers; pickup points; out-of-home | ultimo miglio; consegna pacchi; consegne; locker; punti di ritiro; armadietti per pacchi
delivery | delivery; deliveries; shipping | consegna; consegne; spedizioni; spedizione
traffic | traffic; congestion | traffico; congestione
drone | drone; drones; uav; unmanned aerial vehicles | drone; droni; uav; aeromobili a pilotaggio remoto; apr
aerodynamics | aerodynamics; aerodynamic; wings; airfoils | aerodinamica; aerodinamico; ali; profili alari
flight | flight; flight control; aircraft; aviation | volo; controllo di volo; aeromobili; aviazione; velivoli
hypersonic | hypersonic; re-entry | ipersonico; rientro atmosferico

# Aerospace
aerospace | aerospace; space; aeronautics | aerospazio; aerospaziale; spazio; aeronautica; aeronautico
satellite | satellite; satellites; smallsats; small satellites; cubesat | satellite; satelliti; piccoli satelliti; microsatelliti; cubesat
launcher | launchers; launch vehicles; rockets; rocket engine; nozzle | lanciatori; lanciatore; razzi; motore a razzo; ugello; ugelli
space_missions | space missions; in-orbit; orbit; space exploration; deep space | missioni spaziali; in orbita; orbita; esplorazione spaziale; spazio profondo
earth_observation | earth observation; remote sensing; satellite imagery; satellite data | osservazione della terra; telerilevamento; immagini satellitari; dati satellitari; dati da satellite
geospatial | geospatial; gis; spatial data; mapping | geospaziale; gis; dati territoriali; dati spaziali; cartografia; mappatura
thermal_protection | thermal protection; thermal protection systems | protezione termica; sistemi di protezione termica
space_logistics | space logistics; in-orbit servicing | logistica spaziale; servizi in orbita

# Agrifood
agriculture | agriculture; agricultural; farming; farms; farmers | agricoltura; agricolo; agricola; aziende agricole; azienda agricola; agricoltori; coltivazione
precision_agriculture | precision agriculture; agriculture 4.0; smart farming | agricoltura di precisione; agricoltura 4.0; smart farming
irrigation | irrigation; water content; water stress; soil moisture | irrigazione; contenuto idrico; stato idrico; stress idrico; umidità del suolo
plants | plants; crops; plant; plant science | piante; colture; pianta; coltivazioni
plant_health | plant diseases; plant protection; pests | malattie delle piante; difesa delle colture; fitopatie; parassiti; fitosanitario
fertilizers | =fertilizers; =fertilisers; biostimulants | fertilizzanti; concimi; biostimolanti
greenhouse | greenhouse; vertical farming; indoor farming; hydroponics; aquaponics | serra; serre; agricoltura verticale; coltivazione indoor; idroponica; acquaponica; fuori suolo
livestock | livestock; cattle; animals; zootechnical; breeding | bestiame; bovini; animali; zootecnia; zootecnico; allevamento; allevamenti
pasture | pasture; grazing | pascolo; pascoli
insects | insects; insect farming | insetti; allevamento di insetti
food | food; foods; food products | alimenti; alimentare; alimentari; cibo; prodotti alimentari
agrifood | agri-food; agrifood; agro-food; food industry | agroalimentare; agroalimentari; industria alimentare; filiera agroalimentare
food_processing | food processing; food processes; food technology | trasformazione alimentare; lavorazione degli alimenti; processi alimentari; tecnologie alimentari
food_safety | food safety; food contamination; food quality | sicurezza alimentare; contaminazione degli alimenti; qualità degli alimenti
shelf_life | shelf life; best before; minimum durability; preservation of food | durata di conservazione; shelf life; scadenza; termine minimo di conservazione; conservazione degli alimenti
gluten | gluten; coeliac; celiac | glutine; celiaci; celiachia
allergens | allergens; allergen | allergeni; allergene
mycotoxins | mycotoxins | micotossine
dairy | dairy; milk; cheese; whey | lattiero-caseario; latte; formaggio; formaggi; caseificio; siero
wine | wine; winery; grapevine; vineyard | vino; cantina; cantine; vite; vigneto; vigneti
olive_oil | olive oil; olive | olio d'oliva; olio extravergine; olive
beverages | beverages; drinks; beer; brewery | bevande; birra; birrifici; birrificio
bakery | bakery; baked goods; bread | panificio; prodotti da forno; pane; panificazione
nutrition | nutrition; diet; functional foods; nutraceutical; nutraceuticals; food supplements | nutrizione; dieta; alimenti funzionali; nutraceutico; nutraceutici; integratori alimentari; =integratori
pef | pulsed electric fields; pef | campi elettrici pulsati; pef
refrigeration | refrigerated; cold storage; controlled atmosphere | refrigerato; celle frigorifere; atmosfera controllata; conservazione a freddo
genome_editing | genome editing; new genomic techniques; ngt | editing genomico; nuove tecniche genomiche; ngt

# Cosmetics
cosmetics | cosmetics; cosmetic; beauty; personal care | cosmetica; cosmetico; cosmetici; bellezza; cura della persona
skin_care | skin care; skincare; creams; face creams; serums | cura della pelle; skincare; creme; creme viso; crema; sieri
dermocosmetics | dermocosmetics; dermatology; dermatological | dermocosmesi; dermocosmetico; dermocosmetici; dermatologia; dermatologico
skin | skin; sensitive skin | pelle; pelle sensibile; cute
psoriasis | psoriasis; psoriatic | psoriasi; psoriasico
anti_inflammatory | anti-inflammatory; soothing; =moisturizing; =moisturising | antinfiammatorio; antinfiammatori; lenitivo; lenitivi; idratante; idratanti
active_ingredients | active ingredients; actives; bioactive compounds; bioactives | principi attivi; principio attivo; attivi naturali; composti bioattivi; sostanze attive
ingredients | ingredients; ingredient | ingredienti; ingrediente
natural_ingredients | natural ingredients; natural origin; plant extracts; botanical extracts; extracts | ingredienti naturali; origine naturale; estratti vegetali; estratti botanici; estratti; estratti naturali; ingredienti di origine vegetale; di origine vegetale
biomolecules | biomolecules; biomolecule; molecules | biomolecole; biomolecola; molecole
antioxidants | antioxidants; antioxidant; oxidative stress; anti-aging | antiossidanti; antiossidante; stress ossidativo; antietà; anti-invecchiamento
encapsulation | encapsulation; microencapsulation; bioavailability; encapsulated | incapsulamento; incapsulazione; microincapsulazione; biodisponibilità; incapsulati
formulation | formulation; formulations; formulate | formulazione; formulazioni; formulare
preservatives | preservatives; preservation systems; preservative | conservanti; conservante; sistemi conservanti
fragrance | fragrance; perfume; perfumes | fragranza; profumo; profumi; profumeria
packaging | packaging; packages; =containers; =container; bottles; jars | packaging; imballaggio; imballaggi; confezioni; contenitori; flaconi; vasetti; barattoli; bottiglie
sustainable_packaging | sustainable packaging; biodegradable packaging; eco-design; refill | packaging sostenibile; imballaggi biodegradabili; imballaggi compostabili; ecodesign; ricarica
contract_manufacturing | contract manufacturing; contract manufacturer; third-party manufacturing | produzione conto terzi; conto terzi; terzista; terzisti; contoterzista
snail_mucus | snail mucus; snail secretion | bava di lumaca; secrezione di lumaca
bioprospecting | bioprospecting | bioprospezione

# Life sciences and health
health | health; healthcare; health care | =salute; sanità; sanitario; sanitaria; assistenza sanitaria
hospital | hospital; hospitals; clinics; clinical | ospedale; ospedali; ospedaliero; cliniche; clinico; clinica; struttura sanitaria
patients | patients; patient | pazienti; paziente; malati
chronic_disease | chronic diseases; chronic patients; chronic | malattie croniche; pazienti cronici; cronici; cronico; cronicità
telemedicine | telemedicine; telehealth; telemonitoring; home care; remote patient monitoring | telemedicina; telemonitoraggio; assistenza domiciliare; cure domiciliari; a domicilio; monitoraggio dei pazienti a domicilio
medical_device | medical device; medical devices; medical equipment | dispositivo medico; dispositivi medici; apparecchiature mediche; elettromedicali
diagnostics | diagnostics; diagnostic; diagnosis; diagnose | diagnostica; diagnostico; diagnosi; diagnosticare
early_diagnosis | early diagnosis; early detection; screening; prevention | diagnosi precoce; rilevamento precoce; screening; prevenzione
point_of_care | point of care; poct; rapid test; lab-on-chip; lab-on-a-chip | point of care; test rapido; test rapidi; lab on chip; laboratorio su chip
biomarkers | biomarkers; markers; molecular markers | biomarcatori; marcatori; marcatori molecolari
liquid_biopsy | liquid biopsy; ctdna; circulating tumor dna | biopsia liquida; dna tumorale circolante
biopsy | biopsy; biopsies | biopsia; biopsie
cancer | cancer; tumor; tumour; tumors; oncology; oncological | cancro; tumore; tumori; oncologia; oncologico; neoplasie
drug | drug; drugs; medicines; pharmaceutical; pharmaceuticals | farmaco; farmaci; medicinali; farmaceutico; farmaceutica
drug_delivery | drug delivery; drug release; targeted delivery; controlled release; delivery system | rilascio di farmaci; veicolazione di farmaci; rilascio controllato; rilascio mirato; somministrazione mirata; drug delivery
drug_discovery | drug discovery; drug design; drug screening; drug selection | scoperta di farmaci; progettazione di farmaci; screening di farmaci; selezione dei farmaci
therapy | therapy; therapies; treatment; treatments; cure | terapia; terapie; trattamento; trattamenti; cura; cure
cell_therapy | cell therapy; cell therapies; stem cells | terapia cellulare; terapie cellulari; cellule staminali
gene_therapy | gene therapy; viral vectors; genetic diseases | terapia genica; vettori virali; malattie genetiche
biotech | biotechnology; biotech; biotechnological | biotecnologia; biotecnologie; biotech; biotecnologico
biopharmaceuticals | biopharmaceuticals; biologics; antibodies; recombinant proteins; peptides | biofarmaci; farmaci biologici; anticorpi; proteine ricombinanti; peptidi
vaccines | vaccines; vaccine; adjuvants; immunotherapy | vaccini; vaccino; adiuvanti; immunoterapia
vesicles | extracellular vesicles; liposomes; exosomes | vescicole extracellulari; liposomi; esosomi
nanomedicine | nanomedicine; nanotherapeutics; nano-delivery | nanomedicina; nanoterapie; nanoveicolazione
infections | infections; infectious diseases; antibiotics; antimicrobial resistance; bacteria resistant | infezioni; malattie infettive; antibiotici; antibiotico-resistenza; resistenza antimicrobica
inflammation | inflammation; inflammatory; inflammatory diseases | infiammazione; infiammatorio; malattie infiammatorie; infiammatorie
neurology | neurological; neurodegenerative; brain; nervous system; alzheimer; parkinson | neurologico; neurodegenerative; cervello; sistema nervoso; alzheimer; parkinson
cardiovascular | cardiovascular; heart; cardiac | cardiovascolare; cuore; cardiaco; cardiache
ophthalmology | eye; retina; vision loss; macular degeneration; ophthalmic | occhio; retina; perdita della vista; degenerazione maculare; oftalmico; oftalmologia
rare_diseases | rare diseases; orphan diseases | malattie rare; malattie orfane
rehabilitation | rehabilitation; neurorehabilitation; physiotherapy; functional recovery | riabilitazione; neuroriabilitazione; fisioterapia; recupero funzionale; riabilitativo
neuromotor | neuromotor; motor recovery; stroke; post-stroke | neuromotorio; neuromotoria; recupero motorio; ictus; post-ictus
orthopedics | orthopedic; orthopaedics; prosthetics; tendon; ligament; bone | ortopedico; ortopedia; protesi; tendine; legamento; ossa; osseo
surgery | surgery; surgical; operating room | chirurgia; chirurgico; sala operatoria
imaging | medical imaging; diagnostic imaging; ultrasound; mri | imaging medico; diagnostica per immagini; ecografia; risonanza magnetica
clinical_trials | clinical trials; clinical studies; cro; contract research organization | sperimentazioni cliniche; studi clinici; cro; organizzazione di ricerca a contratto
preclinical | preclinical; in vivo; animal models; animal testing; pharmacology | preclinico; preclinica; in vivo; modelli animali; sperimentazione animale; farmacologia; farmacologico
in_vitro | in vitro; cell culture; cell cultures; tissue culture; organ-on-chip | in vitro; coltura cellulare; colture cellulari; colture di tessuti; organ on chip
toxicology | toxicology; toxicological; safety assessment; glp | tossicologia; tossicologico; valutazione della sicurezza; glp
laboratory | laboratory; lab; laboratories | laboratorio; laboratori
lab_automation | sample preparation; laboratory automation; pre-analytical | preparazione dei campioni; automazione di laboratorio; preanalitica
reagents | reagents; kits; diagnostic kits | reagenti; kit; kit diagnostici
genomics | genomics; genetic; genes; dna; pharmacogenomics | genomica; genetico; geni; dna; farmacogenomica
personalized_medicine | personalized medicine; precision medicine; personalised therapy | medicina personalizzata; medicina di precisione; terapia personalizzata
mental_health | mental health; psychological; learning disorders; adhd; autism | salute mentale; psicologico; disturbi dell'apprendimento; dsa; adhd; autismo
cognitive | cognitive; cognitive decline; dementia | cognitivo; declino cognitivo; demenza
veterinary | veterinary; pets; dogs; cats; animal health | veterinario; animali da compagnia; cani; gatti; salute animale
microbiome | microbiome; fecal transplantation; dysbiosis | microbioma; trapianto fecale; disbiosi
respiratory | respiratory; masks; breathing | respiratorio; mascherine; respirazione
fibrosis | fibrosis; fibrotic | fibrosi; fibrotico
kidney | renal; kidney | renale; reni; rene
critical_care | critical care; intensive care | terapia intensiva; area critica
wound_care | skin ulcers; wounds; wound healing; sores | ulcere cutanee; ferite; guarigione delle ferite; piaghe
medical_software | medical device software; clinical software | software medicale; software clinico; software dispositivo medico

# Smart cities and culture
smart_city | smart city; smart cities; urban; cities | smart city; città intelligente; città intelligenti; urbano; urbana; città
urban_regeneration | urban regeneration; public spaces; green infrastructure | rigenerazione urbana; spazi pubblici; infrastrutture verdi; verde urbano
citizens | citizens; residents; =communities; =community | cittadini; residenti; =comunità; cittadinanza
public_services | public services; municipal services | servizi pubblici; servizi comunali
security_crime | crime prevention; public security; crime | prevenzione del crimine; sicurezza urbana; criminalità
cultural_heritage | cultural heritage; heritage; artworks; works of art | patrimonio culturale; beni culturali; opere d'arte; patrimonio artistico; patrimonio storico
museum | museum; museums; collections; exhibitions | museo; musei; collezioni; mostre; museale
archaeology | archaeology; archaeological | archeologia; archeologico
restoration | restoration; conservation of artworks | restauro; conservazione dei beni culturali
audiovisual | audiovisual; audio; video; multimedia | audiovisivo; audio; video; multimediale; multimediali
science_communication | science communication; dissemination | divulgazione scientifica; divulgazione; comunicazione della scienza
visitor_experience | visitor experience; personalized routes; interactive experience; visit | esperienza di visita; percorsi personalizzati; esperienza interattiva; =visita; =visite
elearning | e-learning; online training; distance learning; edtech | e-learning; formazione a distanza; formazione online; didattica a distanza
`;
