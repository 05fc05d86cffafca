package extract
import ("context";"fmt";"os";"testing")
func TestScratch(t *testing.T) {
	x := mustExtractor(t)
	if os.Getenv("SCRATCH") == "" { t.Skip() }
	data, _ := os.ReadFile(os.Getenv("SCRATCH"))
	a, err := ReadArticle("a.txt", data)
	if err != nil { t.Fatal(err) }
	doc, _ := x.Extract(context.Background(), a)
	for _, e := range doc.Entities { fmt.Printf("%s %s %s:", e.Type, e.ID, e.Name); for _, m := range e.Mentions { fmt.Printf(" %s", m.Text) }; fmt.Println() }
	for _, r := range relStrings(x, doc) { fmt.Println("  ", r) }
}
